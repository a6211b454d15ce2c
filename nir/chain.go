package nir

import (
	"fmt"
	"slices"
	"strings"
)

// chain is a graph arranged as spikegrad's layers.
type chain struct {
	g      *Graph
	input  string
	layers []layer // hidden layers, then the readout
	output string
	// spikingReadout says that the readout is a CubaLIF, read as a CubaLI
	// (its threshold and reset ignored).
	spikingReadout bool
}

// layer is a weight node, the neuron node it feeds and its loop, if any.
type layer struct {
	fc, neurons, loop string
}

// chainOf checks the structure of a flat graph and arranges it.
func chainOf(g *Graph) (*chain, error) {
	for _, name := range names(g.Nodes) {
		switch t := g.Nodes[name].Type; t {
		case "Input", "Output", "Linear", "Affine", "CubaLIF", "CubaLI":
		default:
			return nil, fmt.Errorf("node %s: type %q: spikegrad cannot represent it (it reads Input, Linear, Affine, CubaLIF, CubaLI, Output and NIRGraph subgraphs)", name, t)
		}
	}
	seen := map[[2]string]bool{}
	succ, pred := map[string][]string{}, map[string][]string{}
	for i, e := range g.Edges {
		for _, end := range e {
			if g.Nodes[end] == nil {
				return nil, fmt.Errorf("edges: row %d names node %q, which the graph does not have", i, end)
			}
		}
		if seen[e] {
			return nil, fmt.Errorf("edges: row %d repeats the edge %s → %s", i, e[0], e[1])
		}
		seen[e] = true
		succ[e[0]] = append(succ[e[0]], e[1])
		pred[e[1]] = append(pred[e[1]], e[0])
	}
	typ := func(n string) string { return g.Nodes[n].Type }
	// A recurrent loop: a CubaLIF → W → CubaLIF where W is a Linear or
	// Affine node with no other edges.
	loopOf, loopNode := map[string]string{}, map[string]bool{}
	for _, name := range names(g.Nodes) {
		if typ(name) != "Linear" && typ(name) != "Affine" {
			continue
		}
		if p, s := pred[name], succ[name]; len(p) == 1 && len(s) == 1 && p[0] == s[0] && typ(p[0]) == "CubaLIF" {
			if other, ok := loopOf[p[0]]; ok {
				return nil, fmt.Errorf("node %s: a second recurrent loop (besides %s)", p[0], other)
			}
			loopOf[p[0]], loopNode[name] = name, true
		}
	}
	without := func(xs []string, drop string) []string {
		return slices.DeleteFunc(slices.Clone(xs), func(x string) bool { return x == drop })
	}
	next := func(n string) []string { return without(succ[n], loopOf[n]) }
	prev := func(n string) []string { return without(pred[n], loopOf[n]) }
	if err := findCycle(g, next, loopNode); err != nil {
		return nil, err
	}
	var inputs, outputs []string
	for _, name := range names(g.Nodes) {
		switch typ(name) {
		case "Input":
			inputs = append(inputs, name)
		case "Output":
			outputs = append(outputs, name)
		}
	}
	if len(inputs) != 1 || len(outputs) != 1 {
		return nil, fmt.Errorf("%d Input nodes %v and %d Output nodes %v, want one of each", len(inputs), inputs, len(outputs), outputs)
	}
	c := &chain{g: g, input: inputs[0], output: outputs[0]}
	// Walk from the input: every node has one successor, which has one
	// predecessor.
	var path []string
	on := map[string]bool{}
	for at := c.input; ; {
		path = append(path, at)
		on[at] = true
		if at == c.output {
			break
		}
		nx := next(at)
		if len(nx) != 1 {
			return nil, fmt.Errorf("node %s: %d outgoing edges %v, want one: spikegrad networks are a chain of layers", at, len(nx), nx)
		}
		if p := prev(nx[0]); len(p) != 1 {
			return nil, fmt.Errorf("node %s: %d incoming edges %v, want one: spikegrad networks are a chain of layers", nx[0], len(p), p)
		}
		at = nx[0]
	}
	if len(prev(c.input)) != 0 || len(next(c.output)) != 0 {
		return nil, fmt.Errorf("node %s or %s: edges into the Input or out of the Output", c.input, c.output)
	}
	for _, name := range names(g.Nodes) {
		if !on[name] && !loopNode[name] {
			return nil, fmt.Errorf("node %s: not on the path from %s to %s", name, c.input, c.output)
		}
	}
	// The pattern: Input, (weights, CubaLIF)*, weights, CubaLI, Output.
	// The readout may also be a CubaLIF whose spikes nothing reads (the
	// last layer of snnTorch's and Norse's classifiers), or no node at
	// all: weights straight into the Output, the readout's dynamics in
	// the metadata (TargetPeers).
	body := path[1 : len(path)-1]
	for i := 0; i < len(body); i += 2 {
		fc := body[i]
		if t := typ(fc); t != "Linear" && t != "Affine" {
			return nil, fmt.Errorf("node %s: type %s after node %s, want Linear or Affine", fc, t, path[i])
		}
		if i+1 >= len(body) {
			c.layers = append(c.layers, layer{fc: fc})
			break
		}
		nrn := body[i+1]
		last := i+2 == len(body)
		switch t := typ(nrn); {
		case last && t == "CubaLIF" && loopOf[nrn] == "":
			c.spikingReadout = true
		case last && t != "CubaLI":
			return nil, fmt.Errorf("node %s: type %s before the Output node %s, want the CubaLI readout (or a CubaLIF without a loop)", nrn, t, c.output)
		case !last && t != "CubaLIF":
			return nil, fmt.Errorf("node %s: type %s after node %s, want CubaLIF (or CubaLI just before %s)", nrn, t, fc, c.output)
		}
		c.layers = append(c.layers, layer{fc: fc, neurons: nrn, loop: loopOf[nrn]})
	}
	if len(c.layers) == 0 {
		return nil, fmt.Errorf("node %s: connected straight to %s, want weights and a CubaLI readout between them", c.input, c.output)
	}
	rec := c.layers[0].loop != ""
	for _, l := range c.layers[:len(c.layers)-1] {
		if (l.loop != "") != rec {
			return nil, fmt.Errorf("node %s: recurrent %v, but node %s is %v: spikegrad's hidden layers are all recurrent or all feed-forward",
				l.neurons, l.loop != "", c.layers[0].neurons, rec)
		}
	}
	return c, nil
}

// findCycle reports a cycle of the graph whose edges are next(node), with
// the recurrent loops (loopNode) taken out.
func findCycle(g *Graph, next func(string) []string, loopNode map[string]bool) error {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(n string) error
	visit = func(n string) error {
		color[n] = grey
		stack = append(stack, n)
		for _, m := range next(n) {
			if loopNode[m] {
				continue
			}
			switch color[m] {
			case grey:
				i := slices.Index(stack, m)
				cyc := append(slices.Clone(stack[i:]), m)
				return fmt.Errorf("node %s: cycle %s: the only cycle spikegrad represents is a CubaLIF's loop through one Linear or Affine node",
					m, strings.Join(cyc, " → "))
			case white:
				if err := visit(m); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return nil
	}
	for _, name := range names(g.Nodes) {
		if color[name] == white && !loopNode[name] {
			if err := visit(name); err != nil {
				return err
			}
		}
	}
	return nil
}

package nir

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
)

// Options set what a NIR file may leave open.
type Options struct {
	// DT is the time step in the unit of the file's time constants, for
	// files without a "dt" metadata entry (files not written by
	// spikegrad). A file's own dt must agree with it if both are given.
	DT float64
}

// Import reads the NIR file at path and returns the spikegrad network it
// describes (see FromGraph).
func Import(path string, opt Options) (*Network, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	n, err := FromGraph(f.Graph, opt)
	if err != nil {
		return nil, fmt.Errorf("nir: %s: %w", path, err)
	}
	return n, nil
}

// Tolerances of FromGraph.
const (
	// sameTol is the relative difference below which two time constants
	// (or thresholds, gains) are the same: per-neuron arrays written from
	// one value by another library, or a decay recomputed from τ.
	sameTol = 1e-9
	// unitTol is how close to 1 the input gain r·w_in·Δt/τ_syn/v_threshold
	// must be to leave the weights untouched.
	unitTol = 1e-12
)

// FromGraph turns a NIR graph into a spikegrad network. It accepts the
// family of graphs Export writes and what other libraries write for the
// same networks:
//
//   - a chain Input → (Linear|Affine → CubaLIF)* → Linear|Affine → CubaLI →
//     Output, each hidden CubaLIF either with or without a loop through one
//     Linear or Affine node (its recurrent weights), all layers alike;
//   - subgraph nodes (type NIRGraph), such as the ones snnTorch writes for
//     a recurrent layer, inlined with their names prefixed;
//   - parameters as per-neuron arrays or scalars, weights as float32 or
//     float64, Affine nodes whose bias is zero.
//
// It refuses, naming the node and the field, what spikegrad cannot
// represent: other node types, other cycles, time constants that differ
// between the neurons of a layer or between layers (spikegrad has one
// τ_mem and one τ_syn for all hidden layers, the readout shares τ_syn), a
// time constant not longer than Δt, a non-zero bias, v_leak or v_reset, a
// threshold ≤ 0, non-finite values and mismatched shapes.
//
// r, w_in and v_threshold need not be spikegrad's: the discrete dynamics
// are linear in the input up to the threshold, so a layer's input gain
// g = r·w_in·(Δt/τ_syn)/v_threshold is folded into the weights that feed
// it (the readout's without the threshold). Exported networks have g = 1
// up to rounding, which is left alone, so their weights come back bit for
// bit.
func FromGraph(g *Graph, opt Options) (*Network, error) {
	flat, err := inline(g, "", 0)
	if err != nil {
		return nil, err
	}
	ch, err := chainOf(flat)
	if err != nil {
		return nil, err
	}
	dt, fromMeta, err := timeStep(g.Metadata, opt)
	if err != nil {
		return nil, err
	}
	return ch.network(g.Metadata, dt, fromMeta)
}

// inline returns g with every NIRGraph node replaced by its nodes, named
// "<subgraph>.<node>"; edges into a subgraph go to the successors of its
// Input nodes, edges out of it leave from the predecessors of its Output
// nodes.
func inline(g *Graph, prefix string, depth int) (*Graph, error) {
	if g == nil {
		return nil, fmt.Errorf("no graph")
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("subgraphs nested deeper than %d", maxDepth)
	}
	out := &Graph{Nodes: map[string]*Node{}, Metadata: g.Metadata}
	entry, exit := map[string][]string{}, map[string][]string{} // subgraph → inner nodes
	for _, name := range names(g.Nodes) {
		n := g.Nodes[name]
		if n == nil {
			return nil, fmt.Errorf("node %s: empty", prefix+name)
		}
		if n.Type != "NIRGraph" {
			out.Nodes[prefix+name] = n
			continue
		}
		sub, err := inline(n.Graph, prefix+name+".", depth+1)
		if err != nil {
			return nil, err
		}
		for _, e := range sub.Edges {
			src, dst := sub.Nodes[e[0]], sub.Nodes[e[1]]
			switch {
			case src != nil && src.Type == "Input":
				entry[name] = append(entry[name], e[1])
			case dst != nil && dst.Type == "Output":
				exit[name] = append(exit[name], e[0])
			default:
				out.Edges = append(out.Edges, e)
			}
		}
		for k, v := range sub.Nodes {
			if v.Type != "Input" && v.Type != "Output" {
				out.Nodes[k] = v
			}
		}
	}
	for i, e := range g.Edges {
		for _, end := range e {
			if g.Nodes[end] == nil {
				return nil, fmt.Errorf("edges: row %d names node %q, which the graph does not have", i, prefix+end)
			}
		}
		srcs, dsts := []string{prefix + e[0]}, []string{prefix + e[1]}
		if g.Nodes[e[0]].Type == "NIRGraph" {
			srcs = exit[e[0]]
		}
		if g.Nodes[e[1]].Type == "NIRGraph" {
			dsts = entry[e[1]]
		}
		for _, a := range srcs {
			for _, b := range dsts {
				out.Edges = append(out.Edges, [2]string{a, b})
			}
		}
	}
	if len(out.Nodes) > maxNodes || len(out.Edges) > maxEdges {
		return nil, fmt.Errorf("more than %d nodes or %d edges", maxNodes, maxEdges)
	}
	return out, nil
}

// chain is a graph arranged as spikegrad's layers.
type chain struct {
	g      *Graph
	input  string
	layers []layer // hidden layers, then the readout
	output string
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
	body := path[1 : len(path)-1]
	for i := 0; i < len(body); i += 2 {
		fc := body[i]
		if t := typ(fc); t != "Linear" && t != "Affine" {
			return nil, fmt.Errorf("node %s: type %s after node %s, want Linear or Affine", fc, t, path[i])
		}
		if i+1 >= len(body) {
			return nil, fmt.Errorf("node %s: no CubaLIF or CubaLI after it before %s", fc, c.output)
		}
		nrn := body[i+1]
		last := i+2 == len(body)
		switch t := typ(nrn); {
		case last && t != "CubaLI":
			return nil, fmt.Errorf("node %s: type %s before the Output node %s, want the CubaLI readout", nrn, t, c.output)
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

// timeStep returns Δt: the metadata's dt, or opt.DT.
func timeStep(meta map[string]Value, opt Options) (float64, bool, error) {
	v, ok := meta[metaDT]
	if !ok {
		if !(opt.DT > 0) || math.IsInf(opt.DT, 0) {
			return 0, false, fmt.Errorf("metadata: no dt, and no time step given: NIR's time constants are continuous, and reading them as a discrete network needs the step Δt in their unit")
		}
		return opt.DT, false, nil
	}
	if v.IsString || !(v.Num > 0) || math.IsInf(v.Num, 0) {
		return 0, false, fmt.Errorf("metadata: dt = %v, want a positive number", v)
	}
	if opt.DT != 0 && opt.DT != v.Num {
		return 0, false, fmt.Errorf("metadata: dt = %g, but the time step given is %g", v.Num, opt.DT)
	}
	return v.Num, true, nil
}

// neuronParams are the values of a layer of neurons, each the same for all
// of its neurons.
type neuronParams struct {
	betaSyn, betaMem float64 // 1 − Δt/τ
	gain             float64 // r·w_in·(Δt/τ_syn)/v_threshold
	tauSyn, tauMem   float64 // as stored, for messages
}

// network builds the spikegrad network from the checked chain.
func (c *chain) network(meta map[string]Value, dt float64, dtFromMeta bool) (*Network, error) {
	width, err := c.inputWidth()
	if err != nil {
		return nil, err
	}
	net := &Network{Spec: models.Default()}
	s := &net.Spec
	s.Inputs, s.Hidden, s.Steps, s.Recurrent = width, nil, 0, c.layers[0].loop != ""
	if dtFromMeta {
		net.FromMetadata = append(net.FromMetadata, "dt")
	}
	var ws, vs []Array
	var gains []float64
	var first neuronParams
	for i, l := range c.layers {
		readout := i == len(c.layers)-1
		w, err := c.weights(l.fc, width, 0)
		if err != nil {
			return nil, err
		}
		n := w.Shape[0]
		p, err := c.neurons(l.neurons, n, dt, readout)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = p
		}
		// One τ_syn for all layers, one τ_mem for the hidden ones.
		if !near(p.betaSyn, first.betaSyn) {
			return nil, fmt.Errorf("node %s: field tau_syn: %g differs from node %s's %g: spikegrad has one τ_syn for all layers",
				l.neurons, p.tauSyn, c.layers[0].neurons, first.tauSyn)
		}
		if !readout && !near(p.betaMem, first.betaMem) {
			return nil, fmt.Errorf("node %s: field tau_mem: %g differs from node %s's %g: spikegrad has one τ_mem for all hidden layers",
				l.neurons, p.tauMem, c.layers[0].neurons, first.tauMem)
		}
		ws = append(ws, w)
		gains = append(gains, p.gain)
		if l.loop != "" {
			v, err := c.weights(l.loop, n, n)
			if err != nil {
				return nil, err
			}
			vs = append(vs, v)
		}
		if readout {
			s.Outputs = n
			if err := c.setTaus(net, meta, dt, first.betaSyn, first.betaMem, p.betaMem, i > 0); err != nil {
				return nil, err
			}
		} else {
			s.Hidden = append(s.Hidden, n)
		}
		width = n
	}
	if err := c.outputWidth(width); err != nil {
		return nil, err
	}
	net.Weights = toWeights(ws, vs, gains)
	if err := fromMeta(net, meta); err != nil {
		return nil, err
	}
	return net, nil
}

// setTaus sets the spikegrad time constants: the exact values recorded in
// spikegrad's metadata if they give the graph's decays, otherwise those of
// β = exp(−Δt/τ).
func (c *chain) setTaus(net *Network, meta map[string]Value, dt, betaSyn, betaMem, betaOut float64, hidden bool) error {
	s := &net.Spec
	s.DT = dt
	exact := true
	for _, x := range []struct {
		key  string
		beta float64
		dst  *float64
		used bool
	}{{metaTauSyn, betaSyn, &s.TauSyn, true}, {metaTauMem, betaMem, &s.TauMem, hidden}, {metaTauReadout, betaOut, &s.TauReadout, true}} {
		v, ok := meta[x.key]
		ok = ok && !v.IsString && v.Num > 0 && !math.IsInf(v.Num, 0)
		switch {
		case !x.used: // τ_mem of a network without hidden layers
			*x.dst = models.Default().TauMem
			if ok {
				*x.dst = v.Num
			}
		case ok && near(decay(dt, v.Num), x.beta):
			*x.dst = v.Num
		default:
			*x.dst = tauOf(dt, x.beta)
			exact = false
		}
	}
	if exact {
		net.FromMetadata = append(net.FromMetadata, "tau")
	}
	for _, t := range []float64{s.TauSyn, s.TauMem, s.TauReadout} {
		if !(t > 0) || math.IsInf(t, 0) {
			return fmt.Errorf("time constants %g, %g, %g (τ_syn, τ_mem, τ_readout) out of range", s.TauSyn, s.TauMem, s.TauReadout)
		}
	}
	return nil
}

// fromMeta takes steps, readout and settings from spikegrad's metadata.
func fromMeta(net *Network, meta map[string]Value) error {
	if v, ok := meta[metaSteps]; ok {
		if v.IsString || v.Num < 1 || v.Num > 1<<24 || v.Num != math.Trunc(v.Num) {
			return fmt.Errorf("metadata: steps = %v, want a whole number ≥ 1", v)
		}
		net.Spec.Steps = int(v.Num)
		net.FromMetadata = append(net.FromMetadata, "steps")
	}
	if v, ok := meta[metaReadout]; ok {
		r, err := graph.ParseReduction(v.String())
		if err != nil {
			return fmt.Errorf("metadata: readout: %w", err)
		}
		net.Spec.Readout = r
		net.FromMetadata = append(net.FromMetadata, "readout")
	}
	if v, ok := meta[metaSettings]; ok && v.IsString {
		net.Settings = []byte(v.Str)
	}
	return nil
}

func (c *chain) inputWidth() (int, error) {
	return c.shape(c.input, "shape")
}

func (c *chain) outputWidth(want int) error {
	n, err := c.shape(c.output, "shape")
	if err == nil && n != want {
		err = fmt.Errorf("node %s: field shape: [%d], but the readout has %d neurons", c.output, n, want)
	}
	return err
}

// shape reads a one-dimensional shape [n].
func (c *chain) shape(node, field string) (int, error) {
	a, ok := c.g.Nodes[node].Params[field]
	if !ok {
		return 0, fmt.Errorf("node %s: field %s: missing", node, field)
	}
	if a.Len() != 1 || len(a.Data) != 1 || len(a.Shape) > 1 {
		return 0, fmt.Errorf("node %s: field %s: %v, want one dimension (spikegrad's inputs and outputs are vectors)", node, field, a.Data)
	}
	n := a.Data[0]
	if n < 1 || n > 1<<24 || n != math.Trunc(n) {
		return 0, fmt.Errorf("node %s: field %s: [%g], want a whole number of units ≥ 1", node, field, n)
	}
	return int(n), nil
}

// weights reads the (out, in) weight of a Linear or Affine node that takes
// in inputs; out must be want unless want is 0.
func (c *chain) weights(node string, in, want int) (Array, error) {
	n := c.g.Nodes[node]
	w, ok := n.Params["weight"]
	if !ok {
		return Array{}, fmt.Errorf("node %s: field weight: missing", node)
	}
	if len(w.Shape) != 2 || w.Shape[1] != in || w.Shape[0] < 1 || want > 0 && w.Shape[0] != want {
		wantOut := "out"
		if want > 0 {
			wantOut = fmt.Sprint(want)
		}
		return Array{}, fmt.Errorf("node %s: field weight: shape %v, want (%s, %d) for its %d inputs", node, w.Shape, wantOut, in, in)
	}
	if err := finite(node, "weight", w); err != nil {
		return Array{}, err
	}
	if n.Type == "Affine" {
		b, ok := n.Params["bias"]
		if !ok {
			return Array{}, fmt.Errorf("node %s: field bias: missing (an Affine node needs one; spikegrad's is zero)", node)
		}
		if b.Len() != w.Shape[0] || len(b.Shape) > 1 {
			return Array{}, fmt.Errorf("node %s: field bias: shape %v, want (%d)", node, b.Shape, w.Shape[0])
		}
		for i, x := range b.Data {
			if x != 0 {
				return Array{}, fmt.Errorf("node %s: field bias: %g at %d: spikegrad's synapses have no bias (only a zero bias is accepted)", node, x, i)
			}
		}
	}
	return w, nil
}

// neurons reads the parameters of a CubaLIF (or, for the readout, CubaLI)
// node of n neurons.
func (c *chain) neurons(node string, n int, dt float64, readout bool) (neuronParams, error) {
	params := c.g.Nodes[node].Params
	val := func(field string, optional bool) (float64, bool, error) {
		a, ok := params[field]
		if !ok {
			if optional {
				return 0, false, nil
			}
			return 0, false, fmt.Errorf("node %s: field %s: missing", node, field)
		}
		if len(a.Shape) > 1 || a.Len() != n && a.Len() != 1 || len(a.Data) != a.Len() {
			return 0, false, fmt.Errorf("node %s: field %s: shape %v, want (%d), one value per neuron", node, field, a.Shape, n)
		}
		if err := finite(node, field, a); err != nil {
			return 0, false, err
		}
		if field == "v_leak" || field == "v_reset" {
			for i, x := range a.Data {
				if x != 0 {
					return 0, false, fmt.Errorf("node %s: field %s: %g at %d: spikegrad's neurons leak and reset to zero", node, field, x, i)
				}
			}
		}
		x := a.Data[0]
		for i, y := range a.Data {
			if !near(x, y) {
				return 0, false, fmt.Errorf("node %s: field %s: %g at %d differs from %g at 0: spikegrad has one value per layer", node, field, y, i, x)
			}
		}
		return x, true, nil
	}
	var p neuronParams
	var err error
	var r, wIn, leak, thr float64
	fields := []struct {
		name     string
		dst      *float64
		optional bool
	}{{"tau_syn", &p.tauSyn, false}, {"tau_mem", &p.tauMem, false}, {"r", &r, false}, {"w_in", &wIn, true}, {"v_leak", &leak, false}}
	if !readout {
		fields = append(fields, struct {
			name     string
			dst      *float64
			optional bool
		}{"v_threshold", &thr, false})
	}
	for _, f := range fields {
		var ok bool
		if *f.dst, ok, err = val(f.name, f.optional); err != nil {
			return p, err
		}
		if !ok {
			*f.dst = 1 // w_in defaults to 1, as in the reference
		}
	}
	if !readout {
		reset, _, err := val("v_reset", true) // optional since NIR 1.0.6
		if err != nil {
			return p, err
		}
		if reset != 0 { // checked by val
			return p, fmt.Errorf("node %s: field v_reset: %g", node, reset)
		}
		if !(thr > 0) {
			return p, fmt.Errorf("node %s: field v_threshold: %g: want a positive threshold", node, thr)
		}
	} else {
		thr = 1
	}
	if leak != 0 { // checked by val
		return p, fmt.Errorf("node %s: field v_leak: %g", node, leak)
	}
	for _, f := range []struct {
		name string
		tau  float64
		dst  *float64
	}{{"tau_syn", p.tauSyn, &p.betaSyn}, {"tau_mem", p.tauMem, &p.betaMem}} {
		if !(f.tau > dt) {
			return p, fmt.Errorf("node %s: field %s: %g is not longer than the time step Δt = %g (the decay 1 − Δt/τ must lie in (0, 1))",
				node, f.name, f.tau, dt)
		}
		*f.dst = 1 - dt/f.tau
	}
	p.gain = r * wIn * (dt / p.tauSyn) / thr
	if math.IsInf(p.gain, 0) || math.IsNaN(p.gain) {
		return p, fmt.Errorf("node %s: fields r, w_in, v_threshold: the input gain r·w_in·Δt/τ_syn/v_threshold = %g is not finite", node, p.gain)
	}
	return p, nil
}

// finite reports the first value of a that is not finite.
func finite(node, field string, a Array) error {
	for i, x := range a.Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("node %s: field %s: %g at index %s", node, field, x, index(a.Shape, i))
		}
	}
	return nil
}

// index formats the flat index i of an array of the given shape.
func index(shape []int, i int) string {
	if len(shape) < 2 {
		return fmt.Sprint(i)
	}
	idx := make([]string, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = fmt.Sprint(i % shape[d])
		i /= shape[d]
	}
	return "(" + strings.Join(idx, ", ") + ")"
}

func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= sameTol*math.Max(math.Abs(a), math.Abs(b))
}

// toWeights transposes the (out, in) weights to spikegrad's [in, out] and
// folds each layer's input gain into the matrices that feed it. The dtype is
// float32 if every matrix is stored as float32, float64 otherwise.
func toWeights(ws, vs []Array, gains []float64) *models.Weights {
	f32 := true
	for _, a := range append(slices.Clone(ws), vs...) {
		f32 = f32 && a.Float32
	}
	conv := func(a Array, gain float64) *tensor.Dense {
		out, in := a.Shape[0], a.Shape[1]
		scale := math.Abs(gain-1) > unitTol
		v := make([]float64, in*out)
		for j := 0; j < out; j++ {
			for i := 0; i < in; i++ {
				x := a.Data[j*in+i]
				if scale {
					x *= gain
				}
				v[i*out+j] = x
			}
		}
		if !f32 {
			return tensor.New(tensor.WithShape(in, out), tensor.WithBacking(v))
		}
		v32 := make([]float32, len(v))
		for i, x := range v {
			v32[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(in, out), tensor.WithBacking(v32))
	}
	w := &models.Weights{}
	for l, a := range ws {
		w.W = append(w.W, conv(a, gains[l]))
	}
	for l, a := range vs {
		w.V = append(w.V, conv(a, gains[l]))
	}
	return w
}

package nir

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Options set what a NIR file may leave open.
type Options struct {
	// DT is the time step in the unit of the file's time constants, for
	// files without a "dt" metadata entry (files not written by
	// spikegrad). A file's own dt must agree with it if both are given.
	DT float64
	// Discretisation, if set, is the network's (network.Spec's setting),
	// whatever the file says; empty: the one spikegrad recorded in the
	// metadata, else euler, the rule of snnTorch and Norse.
	Discretisation string
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
		return nil, short(fmt.Errorf("nir: %s: %w", path, err))
	}
	return n, nil
}

// Tolerances of FromGraph.
const (
	// sameTol is the relative difference below which two time constants
	// (or thresholds, gains) are the same: per-neuron arrays written from
	// one value by another library, a decay recomputed from τ, or values
	// equal in float32 that were computed in float32 here and float64
	// there (snnTorch's τ = Δt/(1 − α) of a float32 α): a few of float32's
	// relative steps, 2⁻²³ ≈ 1.2·10⁻⁷.
	sameTol = 4e-7
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
	n, err := fromGraph(g, opt)
	return n, short(err)
}

func fromGraph(g *Graph, opt Options) (*Network, error) {
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
	return ch.network(g.Metadata, dt, fromMeta, opt.Discretisation)
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

// neuronParams are the values of a layer of neurons, one per neuron.
type neuronParams struct {
	betaSyn, betaMem []float64 // 1 − Δt/τ
	gain             []float64 // r·w_in·(Δt/τ_syn)/v_threshold
	tauSyn, tauMem   []float64 // as stored, for messages
	node             string    // where they come from, for messages
}

// network builds the spikegrad network from the checked chain.
func (c *chain) network(meta map[string]Value, dt float64, dtFromMeta bool, disc string) (*Network, error) {
	width, err := c.inputWidth()
	if err != nil {
		return nil, err
	}
	net := &Network{Spec: network.Default()}
	s := &net.Spec
	s.Inputs, s.Hidden, s.Steps, s.Recurrent = width, nil, 0, c.layers[0].loop != ""
	if dtFromMeta {
		net.FromMetadata = append(net.FromMetadata, "dt")
	}
	if disc != "" {
		s.Discretisation = disc
		check := *s
		check.Hidden = make([]int, len(c.layers)-1)
		if _, err := check.LayerDiscretisations(); err != nil {
			return nil, err
		}
	} else if err := discretisationOf(net, meta, len(c.layers)-1); err != nil {
		return nil, err
	}
	if c.spikingReadout {
		last := c.layers[len(c.layers)-1].neurons
		net.Notes = append(net.Notes, fmt.Sprintf("the last layer, CubaLIF node %s, is read as spikegrad's non-spiking readout: its threshold and reset are ignored, its membrane potential gives the logits", last))
	}
	var ws, vs []Array
	var gains [][]float64
	var ps []neuronParams
	for i, l := range c.layers {
		readout := i == len(c.layers)-1
		w, err := c.weights(l.fc, width, 0)
		if err != nil {
			return nil, err
		}
		n := w.Shape[0]
		var p neuronParams
		if l.neurons == "" {
			p, err = readoutFromMeta(l.fc, meta, dt, n)
		} else {
			p, err = c.neurons(l.neurons, n, dt, readout)
			p.node = "node " + l.neurons
		}
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
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
		} else {
			s.Hidden = append(s.Hidden, n)
		}
		width = n
	}
	if err := c.outputWidth(width); err != nil {
		return nil, err
	}
	w, v := toWeights(ws, vs, gains)
	if err := fromMeta(net, meta); err != nil {
		return nil, err
	}
	L := len(s.Hidden)
	model, named := meta[metaNeuron]
	differ := oneTau(ps)
	if differ == nil && !named {
		if err := c.setTaus(net, meta, dt, ps[0].betaSyn[0], ps[0].betaMem[0], ps[L].betaMem[0], L > 0); err != nil {
			return nil, err
		}
		net.Weights = models.Assemble(net.Spec, w, v, nil)
		return net, nil
	}
	theta, err := learnTau(net, ps, meta, dt, model, named, differ)
	if err != nil {
		return nil, err
	}
	f32 := w[0].Dtype() == tensor.Float32
	var neuron []*tensor.Dense
	for _, t := range theta {
		neuron = append(neuron, dense(1, len(t), t, f32))
	}
	net.Weights = models.Assemble(net.Spec, w, v, neuron)
	return net, nil
}

// oneTau returns an error naming the first time constant that the LIF
// cannot represent: one that differs between the neurons of a layer,
// between hidden layers (τ_mem) or between any layers (τ_syn).
func oneTau(ps []neuronParams) error {
	L := len(ps) - 1
	for l, p := range ps {
		for _, f := range []struct {
			name       string
			beta, tau  []float64
			firstBeta  float64
			firstTau   float64
			withinOnly bool
		}{{"tau_syn", p.betaSyn, p.tauSyn, ps[0].betaSyn[0], ps[0].tauSyn[0], false}, {"tau_mem", p.betaMem, p.tauMem, ps[0].betaMem[0], ps[0].tauMem[0], l == L}} {
			for i, b := range f.beta {
				if !near(b, f.beta[0]) {
					return fmt.Errorf("%s: field %s: %g at %d differs from %g at 0", p.node, f.name, f.tau[i], i, f.tau[0])
				}
			}
			if !f.withinOnly && !near(f.beta[0], f.firstBeta) {
				what := "all layers"
				if f.name == "tau_mem" {
					what = "all hidden layers"
				}
				return fmt.Errorf("%s: field %s: %g differs from %s's %g: the LIF has one %s for %s", p.node, f.name, f.tau[0], ps[0].node, f.firstTau, f.name, what)
			}
		}
	}
	return nil
}

// setTaus sets the spikegrad time constants: the exact values recorded in
// spikegrad's metadata if they give the graph's decays, otherwise those of
// β = exp(−Δt/τ).
func (c *chain) setTaus(net *Network, meta map[string]Value, dt, betaSyn, betaMem, betaOut float64, hidden bool) error {
	s := &net.Spec
	// A file in other units than spikegrad's (TargetPeers: seconds)
	// records spikegrad's Δt in ms; the network is set on that grid.
	dtMS := dt
	if v, ok := meta[metaDTms]; ok {
		if v.IsString || !(v.Num > 0) || math.IsInf(v.Num, 0) {
			return fmt.Errorf("metadata: %s = %v, want a positive number", metaDTms, v)
		}
		dtMS = v.Num
	}
	s.DT = dtMS
	// Under Euler a layer's τ is Δt/(1 − β), the file's τ on spikegrad's
	// grid; under the paper's discretisation it is the τ of
	// exp(−Δt/τ) = β. The τ spikegrad recorded are taken when they give
	// the same decays.
	euler := s.LayerDiscretisation(0) == network.Euler
	eulerOut := s.LayerDiscretisation(len(s.Hidden)) == network.Euler
	exact := true
	for _, x := range []struct {
		key   string
		beta  float64
		dst   *float64
		used  bool
		euler bool
	}{{metaTauSyn, betaSyn, &s.TauSyn, true, hidden && euler || !hidden && eulerOut}, {metaTauMem, betaMem, &s.TauMem, hidden, euler},
		{metaTauReadout, betaOut, &s.TauReadout, true, eulerOut}} {
		v, ok := meta[x.key]
		ok = ok && !v.IsString && v.Num > 0 && !math.IsInf(v.Num, 0)
		switch {
		case !x.used: // τ_mem of a network without hidden layers
			*x.dst = network.Default().TauMem
			if ok {
				*x.dst = v.Num
			}
		case x.euler && ok && v.Num >= dtMS && near(1-dtMS/v.Num, x.beta):
			*x.dst = v.Num
		case !x.euler && ok && near(decay(dtMS, v.Num), x.beta):
			*x.dst = v.Num
		case x.euler:
			*x.dst = dtMS / (1 - x.beta)
			exact = false
		default:
			*x.dst = tauOf(dtMS, x.beta)
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
		r, err := network.ParseReduction(v.String())
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

// discretisationOf sets the network's discretisation: the one spikegrad
// recorded, else (a file from another library) Euler, the rule by which
// snnTorch and Norse step CubaLIF, with a note saying so.
func discretisationOf(net *Network, meta map[string]Value, hidden int) error {
	v, ok := meta[metaDisc]
	if !ok {
		if p, ok := meta[metaProducer]; ok && p.String() == "spikegrad" {
			net.Spec.Discretisation = string(network.Paper) // exported before the setting
			return nil
		}
		net.Spec.Discretisation = string(network.Euler)
		net.Notes = append(net.Notes, "no spikegrad discretisation in the metadata (a file from another library): "+
			"run with --discretisation euler, the explicit Euler step by which snnTorch and Norse simulate CubaLIF")
		return nil
	}
	s := net.Spec
	s.Hidden = make([]int, hidden)
	s.Discretisation = v.String()
	if _, err := s.LayerDiscretisations(); err != nil || !v.IsString {
		return fmt.Errorf("metadata: %s = %.40q: want paper, euler or one per layer", metaDisc, v.String())
	}
	net.Spec.Discretisation = v.String()
	net.FromMetadata = append(net.FromMetadata, "discretisation")
	return nil
}

// readoutFromMeta is the readout of n neurons of a graph whose weights
// node fc feeds the Output directly (TargetPeers): its time constants are
// the metadata's readout_tau_syn and readout_tau_mem, in the unit of dt,
// each a number or a text of n numbers separated by spaces (one per
// neuron).
func readoutFromMeta(fc string, meta map[string]Value, dt float64, n int) (neuronParams, error) {
	p := neuronParams{node: fmt.Sprintf("node %s (its readout in the metadata)", fc), gain: spread(n, 1)}
	for _, f := range []struct {
		key       string
		tau, beta *[]float64
	}{{metaReadoutTauSyn, &p.tauSyn, &p.betaSyn}, {metaReadoutTauMem, &p.tauMem, &p.betaMem}} {
		v, ok := meta[f.key]
		taus, err := numbers(v, n)
		if !ok || err != nil {
			return p, fmt.Errorf("node %s feeds the Output without a readout node, and metadata %s is %.60v: want a time constant ≥ dt = %g, or %d of them", fc, f.key, v, dt, n)
		}
		*f.tau, *f.beta = taus, make([]float64, n)
		for i, t := range taus {
			if !(t >= dt) || math.IsInf(t, 0) {
				return p, fmt.Errorf("node %s feeds the Output without a readout node, and metadata %s has %g at %d: want a time constant ≥ dt = %g", fc, f.key, t, i, dt)
			}
			(*f.beta)[i] = 1 - dt/t
		}
	}
	return p, nil
}

// numbers reads a metadata value as n numbers: a number for all, or a
// text of n numbers separated by spaces.
func numbers(v Value, n int) ([]float64, error) {
	if !v.IsString {
		return spread(n, v.Num), nil
	}
	f := strings.Fields(v.Str)
	if len(f) != n {
		return nil, fmt.Errorf("%d numbers, want %d", len(f), n)
	}
	out := make([]float64, n)
	for i, x := range f {
		var err error
		if out[i], err = strconv.ParseFloat(x, 64); err != nil {
			return nil, err
		}
	}
	return out, nil
}

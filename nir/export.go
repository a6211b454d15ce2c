package nir

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/network"
)

// Node names of an exported network. A recurrent layer's CubaLIF and its
// loop share the prefix lif<l>, which is how snnTorch and Spyx find a
// recurrent layer in a flat graph; Spyx also walks the chain from "input"
// to "output".
const (
	InputName   = "input"
	OutputName  = "output"
	ReadoutName = "li_out" // the CubaLI readout
	readoutFC   = "fc_out"
)

func fcName(l int) string   { return fmt.Sprintf("fc%d", l) }
func lifName(l int) string  { return fmt.Sprintf("lif%d.lif", l) }
func loopName(l int) string { return fmt.Sprintf("lif%d.w_rec", l) }

// Metadata keys of an exported graph (see the package documentation).
const (
	metaProducer   = "producer"
	metaDT         = "dt"
	metaSteps      = "steps"
	metaReadout    = "readout"
	metaSettings   = "spikegrad_settings"
	metaTauMem     = "spikegrad_tau_mem"
	metaTauSyn     = "spikegrad_tau_syn"
	metaTauReadout = "spikegrad_tau_readout"
)

// Export writes n to a NIR file at path (see Graph and Write).
func Export(path string, n *Network) error {
	g, err := n.Graph()
	if err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	return Write(path, g)
}

// Graph returns n as a NIR graph: Input → Linear → CubaLIF (⟲ Linear) → … →
// Linear → CubaLI → Output, with the parameters of the mapping in the package
// documentation and spikegrad's metadata.
func (n *Network) Graph() (*Graph, error) {
	s := n.Spec
	if err := s.Validate(); err != nil {
		return nil, err
	}
	// The model first: a model with per-neuron parameters has weights
	// that checkWeights would refuse without naming it.
	model, err := network.LookupNeuron(n.neuron())
	if err != nil {
		return nil, err
	}
	if _, ok := model.(CubaNeuron); !ok {
		return nil, fmt.Errorf("neuron model %s: NIR has no mapping of it (it is no nir.CubaNeuron, as the LIF is)", model.Name())
	}
	if err := checkWeights(s, n.Weights); err != nil {
		return nil, err
	}
	betaSyn, betaMem, betaOut := s.Decay(s.TauSyn), s.Decay(s.TauMem), s.Decay(s.TauReadout)
	g := &Graph{Nodes: map[string]*Node{}}
	link := func(a, b string) { g.Edges = append(g.Edges, [2]string{a, b}) }
	g.Nodes[InputName] = &Node{Type: "Input", Params: map[string]Array{"shape": shape(s.Inputs)}}
	prev := InputName
	for l, h := range s.Hidden {
		g.Nodes[fcName(l)] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.W[l])}}
		g.Nodes[lifName(l)] = &Node{Type: "CubaLIF", Params: cubaLIF(h, s.DT, betaSyn, betaMem)}
		link(prev, fcName(l))
		link(fcName(l), lifName(l))
		if s.Recurrent {
			g.Nodes[loopName(l)] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.V[l])}}
			link(lifName(l), loopName(l))
			link(loopName(l), lifName(l))
		}
		prev = lifName(l)
	}
	li := cubaLIF(s.Outputs, s.DT, betaSyn, betaOut)
	delete(li, "v_threshold")
	delete(li, "v_reset")
	g.Nodes[readoutFC] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.W[len(s.Hidden)])}}
	g.Nodes[ReadoutName] = &Node{Type: "CubaLI", Params: li}
	g.Nodes[OutputName] = &Node{Type: "Output", Params: map[string]Array{"shape": shape(s.Outputs)}}
	link(prev, readoutFC)
	link(readoutFC, ReadoutName)
	link(ReadoutName, OutputName)

	g.Metadata = map[string]Value{
		metaProducer:   Text("spikegrad"),
		metaDT:         Number(s.DT),
		"time_unit":    Text("ms"),
		metaSteps:      Number(float64(s.Steps)),
		"beta_syn":     Number(betaSyn),
		"beta_mem":     Number(betaMem),
		"beta_out":     Number(betaOut),
		metaTauSyn:     Number(s.TauSyn),
		metaTauMem:     Number(s.TauMem),
		metaTauReadout: Number(s.TauReadout),
		"discretization": Text("explicit Euler with step dt, state zero at n = 0: " +
			"I[n+1] = I[n] + dt/tau_syn*(w_in*x[n] - I[n]), " +
			"v[n+1] = (v[n] + dt/tau_mem*(v_leak - v[n] + r*I[n]))*(1 - z[n]) for CubaLIF (no reset for CubaLI), " +
			"x[n] = weight @ (spikes of the node before, at step n)"),
		"threshold": Text("z[n] = 1 if v[n] >= v_threshold (equality spikes), else 0"),
		"reset":     Text("to zero, multiplicative: v[n+1] is multiplied by (1 - z[n]); v_reset = 0"),
		metaReadout: Text(s.Readout.String()),
		"logits":    Text(fmt.Sprintf("%s over n = 1..steps of v[n] of node %s", s.Readout, ReadoutName)),
	}
	if n.Settings != nil {
		g.Metadata[metaSettings] = Text(string(n.Settings))
	}
	return g, nil
}

// cubaLIF returns the parameters of N neurons: τ = Δt/(1 − β), r = 1,
// w_in = τ_syn/Δt, v_leak = v_reset = 0, v_threshold = 1.
func cubaLIF(N int, dt, betaSyn, betaMem float64) map[string]Array {
	tauSyn, tauMem := dt/(1-betaSyn), dt/(1-betaMem)
	return map[string]Array{
		"tau_syn":     fill(N, tauSyn),
		"tau_mem":     fill(N, tauMem),
		"r":           fill(N, 1),
		"w_in":        fill(N, tauSyn/dt),
		"v_leak":      fill(N, 0),
		"v_reset":     fill(N, 0),
		"v_threshold": fill(N, 1),
	}
}

func fill(n int, v float64) Array {
	a := Array{Shape: []int{n}, Data: make([]float64, n)}
	for i := range a.Data {
		a.Data[i] = v
	}
	return a
}

func shape(n int) Array { return Array{Shape: []int{1}, Data: []float64{float64(n)}, Integer: true} }

// weight returns a [fan_in, fan_out] matrix as NIR's (out, in) weight.
func weight(m *tensor.Dense) Array {
	in, out := m.Shape()[0], m.Shape()[1]
	v := floats(m)
	a := Array{Shape: []int{out, in}, Data: make([]float64, in*out), Float32: m.Dtype() == tensor.Float32}
	for i := 0; i < in; i++ {
		for j := 0; j < out; j++ {
			a.Data[j*in+i] = v[i*out+j]
		}
	}
	return a
}

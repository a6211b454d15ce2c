package nir

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

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
	metaDisc       = "spikegrad_discretisation"
	metaDTms       = "spikegrad_dt_ms"
	metaNeuron     = "spikegrad_neuron" // a model with per-neuron time constants (TauNeuron)
	// The readout's time constants in a TargetPeers file, whose graph
	// has no readout node.
	metaReadoutTauSyn = "readout_tau_syn"
	metaReadoutTauMem = "readout_tau_mem"
)

// Export writes n to a NIR file at path (see Graph and Write) in
// spikegrad's own form (TargetSpikegrad).
func Export(path string, n *Network) error {
	_, err := ExportWith(path, n, ExportOptions{})
	return err
}

// ExportWith writes n to a NIR file at path in the form opt asks for and
// returns the warnings of GraphFor.
func ExportWith(path string, n *Network, opt ExportOptions) ([]string, error) {
	g, warn, err := n.GraphFor(opt)
	if err != nil {
		return nil, fmt.Errorf("nir: %s: %w", path, err)
	}
	return warn, Write(path, g)
}

// Target is the reader an export is written for.
type Target string

const (
	// TargetSpikegrad is spikegrad's own form, the zero value: time in ms
	// with dt in the metadata, r = 1, v_threshold = 1, the readout a
	// CubaLI node. cmd/eval and cmd/train read it back bit for bit; a
	// reader that follows the metadata (python/nircheck.py) simulates it.
	TargetSpikegrad Target = ""
	// TargetPeers is the form snnTorch's import_from_nir and Norse's
	// from_nir read as they are: time constants in seconds for a reader
	// whose step is ExportOptions.Step (their importers read no metadata),
	// r = τ_mem/step as snnTorch requires, w_in = τ_syn/step, the
	// threshold scaled to match, and the readout's weights feeding the
	// Output directly, since neither maps CubaLI: the readout's filter
	// and reduction are in the metadata (readout_*), for the few lines of
	// Python in the README that turn the output into spikegrad's logits.
	TargetPeers Target = "peers"
)

// DefaultPeerStep is the step, in seconds, that snnTorch's NIR importer
// uses whatever the file says (0.1 ms); Norse's from_nir takes it as dt.
const DefaultPeerStep = 1e-4

// ExportOptions choose the form of an export.
type ExportOptions struct {
	Target Target
	// Step is the reader's time step in seconds (TargetPeers; 0:
	// DefaultPeerStep). Every time constant is written as Step/(1 − β),
	// β its decay per step: a reader that steps by Step computes the
	// network's decays, whatever the network's Δt (which the metadata
	// records as spikegrad_dt_ms).
	Step float64
	// Convert exports layers trained with the paper's discretisation
	// without a warning. A peer steps them by explicit Euler, which is
	// another network (see Warnings).
	Convert bool
}

// Graph returns n as a NIR graph in spikegrad's own form: Input → Linear
// → CubaLIF (⟲ Linear) → … → Linear → CubaLI → Output, with the parameters
// of the mapping in the package documentation and spikegrad's metadata.
func (n *Network) Graph() (*Graph, error) {
	g, _, err := n.GraphFor(ExportOptions{})
	return g, err
}

// GraphFor returns n as a NIR graph for opt.Target, and warnings: one for
// each layer trained with the paper's discretisation (unless opt.Convert),
// naming what snnTorch and Norse compute differently.
func (n *Network) GraphFor(opt ExportOptions) (*Graph, []string, error) {
	s := n.Spec
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	// The model first: a model with per-neuron parameters has weights
	// that checkWeights would refuse without naming it.
	model, err := network.LookupNeuron(n.neuron())
	if err != nil {
		return nil, nil, err
	}
	if _, ok := model.(CubaNeuron); !ok {
		return nil, nil, fmt.Errorf("neuron model %s: NIR has no mapping of it (it is no nir.CubaNeuron, as the LIF is)", model.Name())
	}
	peers := false
	switch opt.Target {
	case TargetSpikegrad:
	case TargetPeers:
		peers = true
		if opt.Step == 0 {
			opt.Step = DefaultPeerStep
		}
		if !(opt.Step > 0) || math.IsInf(opt.Step, 0) {
			return nil, nil, fmt.Errorf("export step %g: want a positive number of seconds", opt.Step)
		}
	default:
		return nil, nil, fmt.Errorf("export target %q: want %q or %q", clip(string(opt.Target), 40), TargetSpikegrad, TargetPeers)
	}
	disc, err := s.LayerDiscretisations()
	if err != nil {
		return nil, nil, err
	}
	if err := checkWeights(s, n.Weights); err != nil {
		return nil, nil, err
	}
	decays, err := n.decays(model)
	if err != nil {
		return nil, nil, err
	}
	L := len(s.Hidden)
	betaSyn, betaMem, betaOut := s.LayerDecay(L, s.TauSyn), s.LayerDecay(0, s.TauMem), s.LayerDecay(L, s.TauReadout)
	params := func(l int) map[string]Array {
		if peers {
			return peerCubaLIF(opt.Step, decays[l].syn, decays[l].mem)
		}
		return cubaLIF(s.DT, decays[l].syn, decays[l].mem)
	}
	g := &Graph{Nodes: map[string]*Node{}}
	link := func(a, b string) { g.Edges = append(g.Edges, [2]string{a, b}) }
	g.Nodes[InputName] = &Node{Type: "Input", Params: map[string]Array{"shape": shape(s.Inputs)}}
	prev := InputName
	for l := range s.Hidden {
		g.Nodes[fcName(l)] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.W[l])}}
		g.Nodes[lifName(l)] = &Node{Type: "CubaLIF", Params: params(l)}
		link(prev, fcName(l))
		link(fcName(l), lifName(l))
		if s.Recurrent {
			g.Nodes[loopName(l)] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.V[l])}}
			link(lifName(l), loopName(l))
			link(loopName(l), lifName(l))
		}
		prev = lifName(l)
	}
	g.Nodes[readoutFC] = &Node{Type: "Linear", Params: map[string]Array{"weight": weight(n.Weights.W[L])}}
	g.Nodes[OutputName] = &Node{Type: "Output", Params: map[string]Array{"shape": shape(s.Outputs)}}
	link(prev, readoutFC)
	if peers {
		link(readoutFC, OutputName)
	} else {
		li := params(L)
		delete(li, "v_threshold")
		delete(li, "v_reset")
		g.Nodes[ReadoutName] = &Node{Type: "CubaLI", Params: li}
		link(readoutFC, ReadoutName)
		link(ReadoutName, OutputName)
	}

	g.Metadata = map[string]Value{
		metaProducer:   Text("spikegrad"),
		metaDT:         Number(s.DT),
		"time_unit":    Text("ms"),
		metaSteps:      Number(float64(s.Steps)),
		metaTauSyn:     Number(s.TauSyn),
		metaTauMem:     Number(s.TauMem),
		metaTauReadout: Number(s.TauReadout),
		metaDisc:       Text(discText(disc)),
		metaReadout:    Text(s.Readout.String()),
	}
	_, perNeuron := model.(TauNeuron)
	if perNeuron {
		// The τ of the settings are the ones the model scales per
		// neuron: the import sets the model back up from them.
		g.Metadata[metaNeuron] = Text(model.Name())
	} else {
		g.Metadata["beta_syn"], g.Metadata["beta_mem"], g.Metadata["beta_out"] = Number(betaSyn), Number(betaMem), Number(betaOut)
	}
	if disc[0] == network.Paper {
		g.Metadata["discretization"] = Text("explicit Euler with step dt, state zero at n = 0: " +
			"I[n+1] = I[n] + dt/tau_syn*(w_in*x[n] - I[n]), " +
			"v[n+1] = (v[n] + dt/tau_mem*(v_leak - v[n] + r*I[n]))*(1 - z[n]) for CubaLIF (no reset for CubaLI), " +
			"x[n] = weight @ (spikes of the node before, at step n)")
		g.Metadata["threshold"] = Text("z[n] = 1 if v[n] >= v_threshold (equality spikes), else 0")
		g.Metadata["reset"] = Text("to zero, multiplicative: v[n+1] is multiplied by (1 - z[n]); v_reset = 0")
		g.Metadata["logits"] = Text(fmt.Sprintf("%s over n = 1..steps of v[n] of node %s", s.Readout, ReadoutName))
	} else {
		g.Metadata["discretization"] = Text(eulerText)
		g.Metadata["threshold"] = Text("z[n] = 1 if v[n] >= v_threshold (spikegrad; snnTorch and Norse spike above it, which differs only at equality)")
		g.Metadata["reset"] = Text("to v_reset = 0 after the step that spikes; the next step's input is integrated")
		g.Metadata["logits"] = Text(fmt.Sprintf("%s over n = 0..steps-1 of the readout's v[n]", s.Readout))
	}
	if peers {
		g.Metadata[metaDT] = Number(opt.Step)
		g.Metadata["time_unit"] = Text("s")
		g.Metadata[metaDTms] = Number(s.DT)
		g.Metadata[metaReadoutTauSyn] = readoutTau(opt.Step, decays[L].syn)
		g.Metadata[metaReadoutTauMem] = readoutTau(opt.Step, decays[L].mem)
		g.Metadata["logits"] = Text(readoutRecipe(s.Readout.String(), disc[L] == network.Euler))
	}
	if n.Settings != nil {
		g.Metadata[metaSettings] = Text(string(n.Settings))
	}
	var warn []string
	if !opt.Convert {
		warn = paperWarnings(s, disc)
	}
	if peers && perNeuron && L > 0 {
		warn = append(warn, fmt.Sprintf("neuron %s: snnTorch's NIR importer takes one threshold per CubaLIF and will refuse this file "+
			"(v_threshold = r = τ_mem/step differs between neurons of learnt τ_mem); Norse's from_nir reads it", model.Name()))
	}
	return g, warn, nil
}

// eulerText is the metadata's discretization of an Euler network.
const eulerText = "explicit Euler with step dt, state zero before n = 0, as snnTorch and Norse step CubaLIF: " +
	"I[n] = I[n-1] + dt/tau_syn*(w_in*x[n] - I[n-1]), " +
	"v[n] = v[n-1]*(1 - z[n-1]) + dt/tau_mem*(v_leak - v[n-1]*(1 - z[n-1]) + r*I[n]), z[n] = 1 if v[n] >= v_threshold, " +
	"x[n] = weight @ (spikes of the node before, at step n) + w_rec @ z[n-1]"

// readoutRecipe tells how the Output (the readout's input current per
// step) becomes spikegrad's logits.
func readoutRecipe(red string, euler bool) string {
	if euler {
		return fmt.Sprintf("x[n] = output at step n; with a = 1 - dt/readout_tau_syn, b = 1 - dt/readout_tau_mem: "+
			"I = a*I + x[n]; U = b*U + (1 - b)*I; logits = %s over n = 0..steps-1 of U", red)
	}
	return fmt.Sprintf("x[n] = output at step n; with a = 1 - dt/readout_tau_syn, b = 1 - dt/readout_tau_mem: "+
		"U = b*U + (1 - b)*I; I = a*I + x[n]; logits = %s over n = 0..steps-1 of U after its update (the paper's readout)", red)
}

// paperWarnings names, per layer trained with the paper's discretisation,
// what snnTorch and Norse compute differently.
func paperWarnings(s network.Spec, disc []network.Discretisation) []string {
	var warn []string
	for l, d := range disc {
		if d != network.Paper {
			continue
		}
		what := fmt.Sprintf("hidden layer %d", l+1)
		loss := "its spikes, and so the accuracy, will differ there"
		switch {
		case l == len(s.Hidden):
			what, loss = "the readout", "its logits will lag by up to two steps there"
		case s.Recurrent:
			what += " (recurrent)"
			loss = "expect a large loss of accuracy there (such networks have lost 20 to 40 points)"
		}
		warn = append(warn, fmt.Sprintf("%s was trained with the paper's discretisation, but snnTorch and Norse step NIR's CubaLIF by explicit Euler: "+
			"an input reaches the membrane in its own step instead of two steps later, the input of the step after a spike is integrated instead of discarded, "+
			"a spike needs v > v_threshold, and the decays are 1 − Δt/τ; %s. "+
			"Train with --discretisation euler to export, or pass --convert to export this network anyway", what, loss))
	}
	return warn
}

// discText is the metadata's record of the layers' discretisations.
func discText(d []network.Discretisation) string {
	same := true
	for _, x := range d {
		same = same && x == d[0]
	}
	if same {
		return string(d[0])
	}
	parts := make([]string, len(d))
	for i, x := range d {
		parts[i] = string(x)
	}
	return strings.Join(parts, ",")
}

// layerDecays are the per-step decays of each neuron of a layer.
type layerDecays struct{ syn, mem []float64 }

// decays returns the decays of each layer of n, hidden layers first: the
// settings' for every neuron, or each neuron's own for a TauNeuron (the
// readout's mem from τ_readout).
func (n *Network) decays(model network.Neuron) ([]layerDecays, error) {
	s := n.Spec
	L := len(s.Hidden)
	sizes := s.Sizes()[1:]
	out := make([]layerDecays, L+1)
	tm, perNeuron := model.(TauNeuron)
	at := 0 // the layer's first parameter in n.Weights.Neuron
	for l := range out {
		mem, syn := make([]float64, sizes[l]), make([]float64, sizes[l])
		if perNeuron {
			k := len(model.Params(l == L))
			var ps [][]float64
			for _, m := range n.Weights.Neuron[at : at+k] {
				ps = append(ps, floats(m))
			}
			at += k
			tauMem, tauSyn, err := tm.Taus(s, l, ps)
			if err != nil {
				return nil, err
			}
			for i := range mem {
				mem[i], syn[i] = s.LayerDecay(l, tauMem[i]), s.LayerDecay(l, tauSyn[i])
			}
		} else {
			tauMem := s.TauMem
			if l == L {
				tauMem = s.TauReadout
			}
			bm, bs := s.LayerDecay(l, tauMem), s.LayerDecay(l, s.TauSyn)
			for i := range mem {
				mem[i], syn[i] = bm, bs
			}
		}
		out[l] = layerDecays{syn: syn, mem: mem}
	}
	return out, nil
}

// readoutTau is a TargetPeers readout time constant in the metadata: a
// number if every neuron has it, else the neurons' own, as text separated
// by spaces (metadata holds no arrays).
func readoutTau(step float64, beta []float64) Value {
	same := true
	for _, b := range beta {
		same = same && b == beta[0]
	}
	if same {
		return Number(step / (1 - beta[0]))
	}
	parts := make([]string, len(beta))
	for i, b := range beta {
		parts[i] = strconv.FormatFloat(step/(1-b), 'g', -1, 64)
	}
	return Text(strings.Join(parts, " "))
}

// peerCubaLIF returns the parameters of neurons with the given decays for
// a reader stepping by step seconds: τ = step/(1 − β), r = τ_mem/step,
// w_in = τ_syn/step, v_threshold = r, v_leak = v_reset = 0. The reader's v
// is spikegrad's U times r, its I spikegrad's.
func peerCubaLIF(step float64, betaSyn, betaMem []float64) map[string]Array {
	N := len(betaSyn)
	p := map[string]Array{"tau_syn": fill(N, 0), "tau_mem": fill(N, 0), "r": fill(N, 0), "w_in": fill(N, 0),
		"v_leak": fill(N, 0), "v_reset": fill(N, 0), "v_threshold": fill(N, 0)}
	for i := range N {
		r := 1 / (1 - betaMem[i])
		p["tau_syn"].Data[i] = step / (1 - betaSyn[i])
		p["tau_mem"].Data[i] = step / (1 - betaMem[i])
		p["r"].Data[i] = r
		p["w_in"].Data[i] = 1 / (1 - betaSyn[i])
		p["v_threshold"].Data[i] = r
	}
	return p
}

// cubaLIF returns the parameters of neurons with the given decays: τ =
// Δt/(1 − β), r = 1, w_in = τ_syn/Δt, v_leak = v_reset = 0, v_threshold = 1.
func cubaLIF(dt float64, betaSyn, betaMem []float64) map[string]Array {
	N := len(betaSyn)
	p := map[string]Array{"tau_syn": fill(N, 0), "tau_mem": fill(N, 0), "r": fill(N, 1), "w_in": fill(N, 0),
		"v_leak": fill(N, 0), "v_reset": fill(N, 0), "v_threshold": fill(N, 1)}
	for i := range N {
		tauSyn, tauMem := dt/(1-betaSyn[i]), dt/(1-betaMem[i])
		p["tau_syn"].Data[i], p["tau_mem"].Data[i], p["w_in"].Data[i] = tauSyn, tauMem, tauSyn/dt
	}
	return p
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

// clip shortens s for an error message: at most n bytes, cut at a rune.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

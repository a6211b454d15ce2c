package nir

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Network is a spikegrad network as a NIR file holds it.
//
// Export reads Spec's architecture and dynamics (Inputs, Hidden, Outputs,
// Steps, Recurrent, DT, TauMem, TauSyn, TauReadout, Readout) and Weights;
// the training-only fields (surrogate, gain, regularisers) have no place in
// NIR and are carried only inside Settings.
//
// Import fills the same fields from the graph and its metadata, and the
// rest from network.Default. Steps is 0 if the file does not record it.
type Network struct {
	Spec    network.Spec
	Weights *models.Weights
	// Settings is opaque to this package: cmd/train's settings as JSON,
	// stored in the metadata so that an import restores the whole run
	// configuration. Nil if absent.
	Settings []byte
	// FromMetadata lists what Import took from spikegrad's metadata
	// rather than from the graph: "dt", "steps", "readout", and
	// "tau" when the time constants are the exact values recorded there.
	FromMetadata []string
	// Notes say what Import assumed that the file does not say: the
	// discretisation of a file from another library, a spiking last
	// layer read as the readout. A command shows them and records them.
	Notes []string
}

// Has reports whether Import took name (see FromMetadata) from metadata.
func (n *Network) Has(name string) bool {
	for _, s := range n.FromMetadata {
		if s == name {
			return true
		}
	}
	return false
}

// neuron is the name of n's neuron model.
// A CubaNeuron is a neuron model whose layers NIR describes exactly: the
// hidden layers as CubaLIF nodes and the readout as a CubaLI node, with
// the spec's time constants and Δt as the package documentation maps them.
// Export maps the models that are; another model needs a mapping of its
// own (a NIR node type, or a composition of NIR's primitives).
type CubaNeuron interface {
	network.Neuron
	// CubaLIF says that the model's step is the one of the mapping.
	CubaLIF()
}

// A TauNeuron is a CubaNeuron whose neurons each have their own time
// constants: NIR's CubaLIF and CubaLI hold them as per-neuron arrays.
type TauNeuron interface {
	CubaNeuron
	// Taus returns the membrane and synaptic time constants, in ms, of
	// the neurons of layer l of s (len(s.Hidden): the readout, whose
	// membrane constant is the readout's), from the layer's per-neuron
	// parameters in the order of the model's Params.
	Taus(s network.Spec, l int, params [][]float64) (mem, syn []float64, err error)
}

func (n *Network) neuron() string {
	if n.Spec.Neuron == "" {
		return network.DefaultNeuron
	}
	return n.Spec.Neuron
}

// checkWeights checks that w has the matrices spec implies: W[l] of shape
// [fan_in, fan_out] for every layer, V[l] of [units, units] for recurrent
// layers, all float32 or all float64.
func checkWeights(spec network.Spec, w *models.Weights) error {
	if w == nil || len(w.W) == 0 {
		return fmt.Errorf("no weights")
	}
	sz := spec.Sizes()
	if len(w.W) != len(sz)-1 {
		return fmt.Errorf("%d weight matrices W, the spec has %d layers", len(w.W), len(sz)-1)
	}
	wantV := 0
	if spec.Recurrent {
		wantV = len(spec.Hidden)
	}
	if len(w.V) != wantV {
		return fmt.Errorf("%d recurrent matrices V, want %d", len(w.V), wantV)
	}
	dt := w.W[0].Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("weights of dtype %v, want float32 or float64", dt)
	}
	ps, all := spec.Params(), w.All()
	if len(all) != len(ps) {
		return fmt.Errorf("%d arrays, the spec's neuron model %s wants %d (%d per-neuron parameters)", len(all), spec.Neuron, len(ps), len(ps)-len(w.W)-len(w.V))
	}
	for i, p := range ps {
		if m := all[i]; m == nil || !m.Shape().Eq(tensor.Shape{p.Rows, p.Cols}) || m.Dtype() != dt {
			return fmt.Errorf("weight %s: want a %v matrix of [%d %d]", p.Name, dt, p.Rows, p.Cols)
		}
	}
	return nil
}

// floats returns the values of m as float64.
func floats(m *tensor.Dense) []float64 {
	switch d := m.Data().(type) {
	case []float64:
		return d
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	}
	return nil
}

// decay is spikegrad's β = exp(−Δt/τ).
func decay(dt, tau float64) float64 { return math.Exp(-dt / tau) }

// tauOf inverts decay: the τ with exp(−Δt/τ) = β.
func tauOf(dt, beta float64) float64 { return -dt / math.Log(beta) }

package models

import (
	"fmt"
	"slices"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
)

// A Neuron is a neuron model whole: its plain-data half, which settings,
// checkpoints and the memory estimate read, and its step. Register it
// with network.Register to make it selectable by name (the neuron
// setting); New builds a spec's layers with the model the spec names.
type Neuron interface {
	network.Neuron
	// Graph configures the model's layers for the network s. fused says
	// that the loss reads the network only through its readout and spike
	// counts, which lets a model use a fused backward pass (see
	// graph.LIFConfig.Fused).
	Graph(s network.Spec, fused bool) (graph.Neuron, error)
}

// LIF is the paper's model, the neuron setting's default: graph.LIF
// layers and the leaky readout, with decays exp(−Δt/τ) per step.
type LIF struct{ network.LIF }

func init() { network.Register(LIF{}) }

// CubaLIF says that NIR's CubaLIF and CubaLI describe the LIF's layers
// (nir.CubaNeuron).
func (LIF) CubaLIF() {}

// Graph returns the LIF configured for s, each layer in its
// discretisation (network.Spec.LayerDiscretisations), with the decays of
// that discretisation.
func (LIF) Graph(s network.Spec, fused bool) (graph.Neuron, error) {
	disc, err := s.LayerDiscretisations()
	if err != nil {
		return nil, err
	}
	layer := func(l int) graph.LIFConfig {
		return graph.LIFConfig{
			BetaSyn: s.LayerDecay(l, s.TauSyn), BetaMem: s.LayerDecay(l, s.TauMem),
			Surrogate:           s.Surrogate,
			DifferentiableReset: s.DifferentiableReset,
			RecurrentGrad:       s.RecurrentGrad,
			Fused:               fused,
		}
	}
	L := len(s.Hidden)
	n := graph.LIFNeuron{
		LIF: layer(0),
		Out: graph.ReadoutConfig{BetaSyn: s.LayerDecay(L, s.TauSyn), BetaOut: s.LayerDecay(L, s.TauReadout), Reduction: s.Readout},
	}
	if slices.Contains(disc, network.Euler) {
		n.Euler = make([]bool, len(disc))
		for l, d := range disc {
			n.Euler[l] = d == network.Euler
			if l < L {
				n.Layers = append(n.Layers, layer(l))
			}
		}
	}
	return n, nil
}

// neuronOf returns the model s names, with its step.
func neuronOf(s network.Spec) (Neuron, error) {
	n, err := network.LookupNeuron(s.Neuron)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m, ok := n.(Neuron)
	if !ok {
		return nil, fmt.Errorf("model: neuron model %q is registered without its step (a %T, not a models.Neuron)", n.Name(), n)
	}
	return m, nil
}

package lifnosyn

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Name is the model's value of the neuron setting.
const Name = "lif-nosyn"

// Neuron is the model as the registry holds it (a models.Neuron).
type Neuron struct{}

// Name returns "lif-nosyn".
func (Neuron) Name() string { return Name }

// Params returns none: β comes from the settings.
func (Neuron) Params(bool) []network.NeuronParam { return nil }

// States returns 1: the membrane potential.
func (Neuron) States() int { return 1 }

// Kernel is ε[k] = (1 − β)·β^(k−1) for k ≥ 1: the input at step 0 is in U[1].
func (Neuron) Kernel(s network.Spec) []float64 {
	beta := s.Decay(s.TauMem)
	eps := make([]float64, s.Steps)
	for k := 1; k < len(eps); k++ {
		if k == 1 {
			eps[k] = 1 - beta
		} else {
			eps[k] = eps[k-1] * beta
		}
	}
	return eps
}

// Graph configures the model for s. It has no fused backward pass.
func (Neuron) Graph(s network.Spec, _ bool) (graph.Neuron, error) {
	if err := s.Surrogate.Validate(); err != nil {
		return nil, err
	}
	return layers{
		betaMem: s.Decay(s.TauMem), betaOut: s.Decay(s.TauReadout),
		surrogate: s.Surrogate, diffReset: s.DifferentiableReset, recurrentGrad: s.RecurrentGrad,
	}, nil
}

// layers unrolls the model's layers for one network.
type layers struct {
	betaMem, betaOut         float64
	surrogate                surrogate.Surrogate
	diffReset, recurrentGrad bool
}

// Hidden unrolls a hidden layer. The input current of step n,
// (1 − β)·(S_in[n]·W + S[n]·V), is a lif.Synapses step whose carried
// current decays by 0: Synapses wants each step to read the one before.
func (c layers) Hidden(in []*G.Node, p graph.Params, _ int) (*graph.Layer, error) {
	T := len(in)
	l := &graph.Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	syn := lif.NewSynapses(p.W, p.V)
	var cur, pot *G.Node // the input current of the last step, U[n]
	var err error
	for n := 0; n < T; n++ {
		var spk *G.Node
		if pot != nil {
			if spk, err = ops.Spike(pot, c.surrogate); err != nil {
				return nil, fmt.Errorf("lifnosyn: step %d: %w", n, err)
			}
		}
		l.Potentials[n], l.Spikes[n] = pot, spk
		if n == T-1 {
			break
		}
		reset, rec := spk, (*G.Node)(nil)
		if spk != nil && (!c.diffReset || (p.V != nil && !c.recurrentGrad)) {
			detached, err := ops.Detach(spk)
			if err != nil {
				return nil, err
			}
			if !c.diffReset {
				reset = detached
			}
			if p.V != nil {
				rec = detached
			}
		}
		if p.V != nil && c.recurrentGrad {
			rec = spk
		}
		if cur, err = syn.Step(0, cur, 1-c.betaMem, in[n], rec); err != nil {
			return nil, fmt.Errorf("lifnosyn: step %d: %w", n, err)
		}
		if pot != nil || cur != nil {
			if pot, err = lif.Membrane(c.betaMem, pot, cur, reset); err != nil {
				return nil, fmt.Errorf("lifnosyn: step %d: %w", n, err)
			}
		}
	}
	var live []*G.Node
	for _, s := range l.Spikes {
		if s != nil {
			live = append(live, s)
		}
	}
	switch len(live) {
	case 0:
	case 1:
		l.Count = live[0]
	default:
		if l.Count, err = ops.Sum(live...); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Readout unrolls the readout's potentials U_o[1 … T].
func (c layers) Readout(in []*G.Node, p graph.Params) ([]*G.Node, error) {
	pots := make([]*G.Node, len(in))
	syn := lif.NewSynapses(p.W, nil)
	var cur, pot *G.Node
	var err error
	for n := range in {
		if cur, err = syn.Step(0, cur, 1-c.betaOut, in[n], nil); err != nil {
			return nil, fmt.Errorf("lifnosyn: readout step %d: %w", n, err)
		}
		if pot != nil || cur != nil {
			if pot, err = lif.Membrane(c.betaOut, pot, cur, nil); err != nil {
				return nil, fmt.Errorf("lifnosyn: readout step %d: %w", n, err)
			}
		}
		pots[n] = pot
	}
	return pots, nil
}

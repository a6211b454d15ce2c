package adlif

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/internal/pernode"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Name is the model's value of the neuron setting.
const Name = "adlif"

// Neuron is the model as the registry holds it (a models.Neuron).
type Neuron struct{}

// Name returns "adlif".
func (Neuron) Name() string { return Name }

// The per-neuron parameters of a hidden layer, in this order.
const (
	Alpha = iota // membrane decay α
	Rho          // adaptation decay ρ
	A            // coupling a of the adaptation to the membrane
	B            // spike-triggered adaptation b
	nParams
)

var paramNames = [nParams]string{"alpha_logit", "rho_logit", "a_logit", "b_logit"}

// Params returns the logits of α, ρ, a and b for a hidden layer, each drawn
// per neuron; the readout has none.
func (Neuron) Params(readout bool) []network.NeuronParam {
	if readout {
		return nil
	}
	ps := make([]network.NeuronParam, nParams)
	for i := range ps {
		ps[i] = network.NeuronParam{Name: paramNames[i], Draw: drawLogit}
	}
	return ps
}

// drawLogit is θ = logit(u), u uniform on [0.05, 0.95): the parameter
// uniform on the central 90 % of its range.
func drawLogit(r *rand.Rand) float64 {
	u := 0.05 + 0.9*r.Float64()
	return math.Log(u / (1 - u))
}

// States returns 5. The model has two state variables, U and w, and
// its fused cell (lif.NewAdaptiveCell) keeps for the backward pass, per
// step, the input current x[n], w[n+1], dU[n+1] and dw[n+1] besides what
// the LIF's keeps: at the SHD shape (700 inputs, 128 recurrent, T = 400,
// batch 100, float32) a training step holds 201 MB of Go heap against the
// LIF's 111 MB. The memory estimate scales the LIF's measured activations
// by States()/2, and the activations make up less than all of the heap,
// so 5 (1.8 × 2 rounded up, and some) keeps it honest.
func (Neuron) States() int { return 5 }

// Ranges are the bounds [Lo[i], Hi[i]] of the parameters Alpha … B.
type Ranges struct{ Lo, Hi [nParams]float64 }

// RangesOf returns the parameters' ranges for the settings of s (see the
// package documentation).
func RangesOf(s network.Spec) Ranges {
	var r Ranges
	r.Lo[Alpha], r.Hi[Alpha] = s.Decay(s.TauMem/4), s.Decay(5*s.TauMem/4)
	r.Lo[Rho], r.Hi[Rho] = s.Decay(3*s.TauMem/2), s.Decay(15*s.TauMem)
	r.Lo[A], r.Hi[A] = 0, 1 // a < −(1 − ρ) is unstable: see the package doc
	r.Lo[B], r.Hi[B] = 0, 2
	return r
}

// Value is parameter i for the unconstrained θ.
func (r Ranges) Value(i int, theta float64) float64 {
	return r.Lo[i] + (r.Hi[i]-r.Lo[i])/(1+math.Exp(-theta))
}

// Kernel is the free membrane potential after a unit input at step 0, for
// the parameters at the middle of their ranges (θ = 0, the mean of the
// initial draw).
func (Neuron) Kernel(s network.Spec) []float64 {
	r := RangesOf(s)
	alpha, rho, a := r.Value(Alpha, 0), r.Value(Rho, 0), r.Value(A, 0)
	eps := make([]float64, s.Steps)
	u, w := 0.0, 0.0
	for k := range eps {
		eps[k] = u
		in := 0.0
		if k == 0 {
			in = 1
		}
		w = rho*w + a*u
		u = alpha*u + (1-alpha)*(in-w)
	}
	return eps
}

// Graph configures the model for s. Its hidden layers are fused cells
// and its readout the LIF's (fused when reduced by its maximum), whatever
// fused says: evaluation (models.Plain) computes the same values as
// training. Gradients need the loss to read the network through its
// readout and spike counts, as the LIF's fused cell does (lif.Cell);
// G.Grad fails with an error naming the step otherwise.
func (Neuron) Graph(s network.Spec, _ bool) (graph.Neuron, error) {
	if err := s.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("adlif: %w", err)
	}
	out := graph.LIFNeuron{Out: graph.ReadoutConfig{BetaSyn: s.Decay(s.TauSyn), BetaOut: s.Decay(s.TauReadout)}}
	return Layers{
		Ranges: RangesOf(s), Surrogate: s.Surrogate,
		DifferentiableReset: s.DifferentiableReset, RecurrentGrad: s.RecurrentGrad,
		readout: out,
	}, nil
}

// Layers unrolls the model's layers for one network. A hidden layer whose
// graph.Params carry no per-neuron parameters uses fixed ones, each at the
// middle of its range.
type Layers struct {
	Ranges                             Ranges
	Surrogate                          surrogate.Surrogate
	DifferentiableReset, RecurrentGrad bool
	readout                            graph.Neuron
}

// Readout unrolls the LIF's leaky readout.
func (c Layers) Readout(in []*G.Node, p graph.Params) ([]*G.Node, error) {
	return c.readout.Readout(in, p)
}

// ReadoutMax is the LIF readout's maximum over time as its few fused
// nodes (graph.FusedReadout), the same numbers as Readout's potentials'.
func (c Layers) ReadoutMax(in []*G.Node, p graph.Params) (*G.Node, error) {
	if f, ok := c.readout.(graph.FusedReadout); ok {
		return f.ReadoutMax(in, p)
	}
	return nil, nil
}

// Hidden unrolls a hidden layer as the steps of an adaptive lif.Cell
// (lif.NewAdaptiveCell), whose fused backward pass also gives the
// per-neuron parameters' gradients.
func (c Layers) Hidden(in []*G.Node, p graph.Params, layer int) (*graph.Layer, error) {
	if err := c.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("adlif: %w", err)
	}
	if len(p.Neuron) != 0 && len(p.Neuron) != nParams {
		return nil, fmt.Errorf("adlif: layer %d has %d per-neuron parameters, want %d", layer, len(p.Neuron), nParams)
	}
	T := len(in)
	l := &graph.Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	if pernode.Batch(in) == 0 {
		return l, nil // no input reaches the layer: it never spikes
	}
	prm, err := c.params(p, p.W.Shape()[1], layer)
	if err != nil {
		return nil, err
	}
	cell, err := lif.NewAdaptiveCell(prm[Alpha], prm[Rho], prm[A], prm[B], c.Surrogate, p.W, p.V)
	if err != nil {
		return nil, fmt.Errorf("adlif: layer %d: %w", layer, err)
	}
	fail := func(n int, err error) (*graph.Layer, error) {
		return nil, fmt.Errorf("adlif: layer %d step %d: %w", layer, n, err)
	}
	var u, w *G.Node // U[n], w[n]
	for n := 0; n < T; n++ {
		var spk *G.Node
		if u != nil {
			if spk, err = cell.Spike(n, u); err != nil {
				return fail(n, err)
			}
		}
		l.Potentials[n], l.Spikes[n] = u, spk
		if n == T-1 {
			break // U[T] is never read
		}
		reset, rec, err := pernode.Stops(spk, c.DifferentiableReset, p.V != nil, c.RecurrentGrad)
		if err != nil {
			return fail(n, err)
		}
		if w, err = cell.Adapt(n, w, u, spk); err != nil {
			return fail(n, err)
		}
		x, err := cell.Synapse(n, nil, in[n], rec, nil)
		if err != nil {
			return fail(n, err)
		}
		if u, err = cell.AdaptiveMembrane(n, u, reset, x, w); err != nil {
			return fail(n, err)
		}
	}
	if l.Count, err = pernode.Count(l.Spikes); err != nil {
		return nil, fmt.Errorf("adlif: layer %d spike count: %w", layer, err)
	}
	return l, nil
}

// params returns α, ρ, a and b, [1, units] each.
func (c Layers) params(p graph.Params, units, layer int) ([nParams]*G.Node, error) {
	var out [nParams]*G.Node
	g, dt := p.W.Graph(), p.W.Dtype()
	for i := 0; i < nParams; i++ {
		lo, span := c.Ranges.Lo[i], c.Ranges.Hi[i]-c.Ranges.Lo[i]
		if len(p.Neuron) == 0 {
			mid := make([]float64, units)
			for j := range mid {
				mid[j] = c.Ranges.Value(i, 0)
			}
			out[i] = pernode.Const(g, dt, mid, fmt.Sprintf("adlif_fixed_%d_%d", i, layer))
			continue
		}
		theta := p.Neuron[i]
		if !theta.Shape().Eq(tensor.Shape{1, units}) {
			return out, fmt.Errorf("adlif: layer %d: %s has shape %v, want [1 %d]", layer, paramNames[i], theta.Shape(), units)
		}
		sig, err := G.Sigmoid(theta)
		if err != nil {
			return out, err
		}
		v, err := ops.Scale(span, sig)
		if err != nil {
			return out, err
		}
		if out[i], err = G.Add(v, pernode.Scalar(dt, lo)); err != nil {
			return out, err
		}
	}
	return out, nil
}

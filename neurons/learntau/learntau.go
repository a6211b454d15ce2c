package learntau

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

// The models' values of the neuron setting.
const (
	Name      = "lif-learn-tau"
	GammaName = "lif-learn-tau-gamma"
)

// Spread is c: a learnt τ lies within a factor e^c = 10 of the setting's.
const Spread = math.Ln10

// GammaShape is the shape k of the heterogeneous models' gamma draw.
const GammaShape = 3

// Neuron is the model as the registry holds it (a models.Neuron);
// Gamma selects the heterogeneous start.
type Neuron struct{ Gamma bool }

// Name returns Name or GammaName.
func (n Neuron) Name() string {
	if n.Gamma {
		return GammaName
	}
	return Name
}

// Params returns θ of the membrane and the synaptic time constant of each
// neuron, for hidden layers and the readout alike (the readout's membrane
// constant is tau-readout).
func (n Neuron) Params(bool) []network.NeuronParam {
	ps := []network.NeuronParam{{Name: "theta_mem"}, {Name: "theta_syn"}}
	if n.Gamma {
		for i := range ps {
			ps[i].Draw = drawGamma
		}
	}
	return ps
}

// drawGamma is θ for τ/τ_set drawn from Gamma(k = 3, scale 1/3), mean 1:
// the sum of three exponential draws of mean 1/3. A ratio beyond the
// factor-ten range is pulled to 0.999 of it, where tanh is still
// invertible.
func drawGamma(r *rand.Rand) float64 {
	g := 0.0
	for range GammaShape {
		g += r.ExpFloat64()
	}
	x := math.Log(g/GammaShape) / Spread
	x = math.Max(-0.999, math.Min(0.999, x))
	return Spread * math.Atanh(x)
}

// Tau is the time constant for θ and the setting's tauSet.
func Tau(tauSet, theta float64) float64 { return tauSet * math.Exp(Spread*math.Tanh(theta/Spread)) }

// States returns 4. The model has the LIF's two state variables, I and
// U, and its fused cell (lif.NewNeuronCell) keeps more of them for the
// backward pass than the LIF's does: I[n] and dU[n+1] of every step, which
// the decays' gradients read. At the SHD shape (700 inputs, 128
// recurrent, T = 400, batch 100, float32) a training step holds 167 MB
// of Go heap against the LIF's 111 MB; the memory estimate scales the
// LIF's measured activations by States()/2, and the activations make up
// less than all of the heap, so 4 (1.5 × 2 rounded up, and some) keeps it
// honest.
func (Neuron) States() int { return 4 }

// Kernel is the LIF's: at θ = 0 (and on average over the gamma draw of τ,
// to first order) the model is the settings' LIF.
func (Neuron) Kernel(s network.Spec) []float64 { return network.LIF{}.Kernel(s) }

// Graph configures the model for s. Its hidden layers are fused cells
// and its readout, reduced by its maximum, a fused trace, whatever fused
// says: evaluation (models.Plain) computes the same values as training.
// Gradients need the loss to read the network through its readout and
// spike counts, as the LIF's fused cell does (lif.Cell); G.Grad fails
// with an error naming the step otherwise.
func (n Neuron) Graph(s network.Spec, _ bool) (graph.Neuron, error) {
	if err := s.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", n.Name(), err)
	}
	return Layers{
		DT: s.DT, TauMem: s.TauMem, TauSyn: s.TauSyn, TauReadout: s.TauReadout,
		Surrogate: s.Surrogate, DifferentiableReset: s.DifferentiableReset, RecurrentGrad: s.RecurrentGrad,
	}, nil
}

// Layers unrolls the model's layers for one network. A layer whose
// graph.Params carry no per-neuron parameters has the settings' constants
// (θ = 0).
type Layers struct {
	DT, TauMem, TauSyn, TauReadout     float64
	Surrogate                          surrogate.Surrogate
	DifferentiableReset, RecurrentGrad bool
}

// decays returns β_mem and β_syn of a layer, [1, units] each, for the
// membrane constant tauMem.
func (c Layers) decays(p graph.Params, units int, tauMem float64, layer string) (mem, syn *G.Node, err error) {
	if len(p.Neuron) != 0 && len(p.Neuron) != 2 {
		return nil, nil, fmt.Errorf("layer %s has %d per-neuron parameters, want 2", layer, len(p.Neuron))
	}
	g, dt := p.W.Graph(), p.W.Dtype()
	var out [2]*G.Node
	for i, tau := range []float64{tauMem, c.TauSyn} {
		var beta *G.Node
		if len(p.Neuron) == 0 {
			b := make([]float64, units)
			for j := range b {
				b[j] = math.Exp(-c.DT / tau)
			}
			beta = pernode.Const(g, dt, b, fmt.Sprintf("learntau_fixed_%d_%s", i, layer))
		} else {
			theta := p.Neuron[i]
			if !theta.Shape().Eq(tensor.Shape{1, units}) {
				return nil, nil, fmt.Errorf("layer %s: parameter %d has shape %v, want [1 %d]", layer, i, theta.Shape(), units)
			}
			// β = exp(−(Δt/τ_set)·exp(−c·tanh(θ/c)))
			if beta, err = ops.Scale(1/Spread, theta); err != nil {
				return nil, nil, err
			}
			if beta, err = G.Tanh(beta); err != nil {
				return nil, nil, err
			}
			if beta, err = ops.Scale(-Spread, beta); err != nil {
				return nil, nil, err
			}
			if beta, err = G.Exp(beta); err != nil {
				return nil, nil, err
			}
			if beta, err = ops.Scale(-c.DT/tau, beta); err != nil {
				return nil, nil, err
			}
			if beta, err = G.Exp(beta); err != nil {
				return nil, nil, err
			}
		}
		out[i] = beta
	}
	return out[0], out[1], nil
}

// spread returns β_mem, 1 − β_mem and β_syn, [batch, units] each, from
// the [1, units] decays.
func spread(mem, syn *G.Node, batch int, layer string) (memB, gain, synB *G.Node, err error) {
	g := mem.Graph()
	if memB, err = pernode.Spread(g, mem, batch, "learntau_ones_0_"+layer); err != nil {
		return nil, nil, nil, err
	}
	if synB, err = pernode.Spread(g, syn, batch, "learntau_ones_1_"+layer); err != nil {
		return nil, nil, nil, err
	}
	if gain, err = G.Sub(pernode.Scalar(mem.Dtype(), 1), memB); err != nil {
		return nil, nil, nil, err
	}
	return memB, gain, synB, nil
}

// Hidden unrolls a hidden layer as the steps of a lif.Cell with
// per-neuron decays (lif.NewNeuronCell), whose fused backward pass also
// gives the decays' gradients.
func (c Layers) Hidden(in []*G.Node, p graph.Params, layer int) (*graph.Layer, error) {
	if err := c.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("learntau: %w", err)
	}
	T := len(in)
	l := &graph.Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	if pernode.Batch(in) == 0 {
		return l, nil // no input reaches the layer: it never spikes
	}
	mem, syn, err := c.decays(p, p.W.Shape()[1], c.TauMem, fmt.Sprint(layer))
	if err != nil {
		return nil, fmt.Errorf("learntau: %w", err)
	}
	cell, err := lif.NewNeuronCell(mem, syn, c.Surrogate, p.W, p.V)
	if err != nil {
		return nil, fmt.Errorf("learntau: layer %d: %w", layer, err)
	}
	fail := func(n int, err error) (*graph.Layer, error) {
		return nil, fmt.Errorf("learntau: layer %d step %d: %w", layer, n, err)
	}
	var cur, u *G.Node // I[n], U[n]
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
		next, err := cell.Membrane(n, u, cur, reset)
		if err != nil {
			return fail(n, err)
		}
		if n < T-2 { // I[T−1] would only feed U[T]
			if cur, err = cell.Synapse(n, cur, in[n], rec, next); err != nil {
				return fail(n, err)
			}
		}
		u = next
	}
	if l.Count, err = pernode.Count(l.Spikes); err != nil {
		return nil, fmt.Errorf("learntau: layer %d spike count: %w", layer, err)
	}
	return l, nil
}

// Readout unrolls the readout's potentials U_o[1 … T].
func (c Layers) Readout(in []*G.Node, p graph.Params) ([]*G.Node, error) {
	T := len(in)
	pots := make([]*G.Node, T)
	batch := pernode.Batch(in)
	if batch == 0 {
		return pots, nil
	}
	memOne, synOne, err := c.decays(p, p.W.Shape()[1], c.TauReadout, "out")
	if err != nil {
		return nil, fmt.Errorf("learntau: %w", err)
	}
	mem, gain, synDecay, err := spread(memOne, synOne, batch, "out")
	if err != nil {
		return nil, fmt.Errorf("learntau: %w", err)
	}
	syn := lif.NewSynapses(p.W, nil)
	var x, cur, u *G.Node // input current of the last step, I_o[n], U_o[n]
	for n := 0; n < T; n++ {
		if u, err = pernode.Dot(mem, u, gain, cur); err != nil {
			return nil, fmt.Errorf("learntau: readout step %d: %w", n, err)
		}
		pots[n] = u
		if n == T-1 {
			break // I_o[T] is never read
		}
		if x, err = syn.Step(0, x, 1, in[n], nil); err != nil {
			return nil, fmt.Errorf("learntau: readout step %d: %w", n, err)
		}
		decayed, err := pernode.Dot(synDecay, cur)
		if err != nil {
			return nil, fmt.Errorf("learntau: readout step %d: %w", n, err)
		}
		if cur, err = add(decayed, x); err != nil {
			return nil, fmt.Errorf("learntau: readout step %d: %w", n, err)
		}
	}
	return pots, nil
}

// ReadoutMax is the maximum over time of Readout's potentials, as a few
// fused nodes (lif.ReadoutMaxDecays) for graph.Build; nil when no input
// can reach a potential, for Build to reduce Readout's.
func (c Layers) ReadoutMax(in []*G.Node, p graph.Params) (*G.Node, error) {
	live := false
	for _, x := range in[:max(len(in)-1, 0)] {
		live = live || x != nil
	}
	if !live {
		return nil, nil
	}
	mem, syn, err := c.decays(p, p.W.Shape()[1], c.TauReadout, "out")
	if err != nil {
		return nil, fmt.Errorf("learntau: %w", err)
	}
	logits, err := lif.ReadoutMaxDecays(syn, mem, in, p.W)
	if err != nil {
		return nil, fmt.Errorf("learntau: readout: %w", err)
	}
	return logits, nil
}

// add is x + y with nil for zero.
func add(x, y *G.Node) (*G.Node, error) {
	switch {
	case x == nil:
		return y, nil
	case y == nil:
		return x, nil
	}
	return G.Add(x, y)
}

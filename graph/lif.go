package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/surrogate"
)

// LIFConfig sets the dynamics and the gradient path of a hidden LIF layer.
type LIFConfig struct {
	BetaSyn, BetaMem float64 // per-step decay of synaptic current and membrane
	// Surrogate replaces dS/dU in the backward pass. It must be set: the
	// zero Surrogate is refused (it once meant the constant surrogate
	// h = 1, which surrogate.Constant() now names).
	Surrogate surrogate.Surrogate
	// DifferentiableReset lets the gradient flow through the reset factor
	// (1 − S[n]); by default it passes through ops.Detach.
	DifferentiableReset bool
	// RecurrentGrad lets the gradient flow from I[n+1] back into S[n]
	// through the recurrent weights; by default S[n] is detached there
	// (the weights V still learn).
	RecurrentGrad bool
	// Fused builds each step's backward pass as two nodes instead of seven
	// (see lif.Cell). It needs the spikes that reach the loss to be a
	// prefix in time (if U[n+1] reaches it, S[n] must), which holds when
	// the loss reads a readout built by Build (and spike counts); G.Grad
	// fails otherwise. Gradients are the same either way.
	Fused bool
}

// Layer holds the nodes of an unrolled hidden layer. Entries are [batch,
// units]; nil entries are identically zero.
type Layer struct {
	Spikes     []*G.Node // S[0 … T−1]
	Potentials []*G.Node // U[0 … T−1]
	// Count is Σ_n S[n], each neuron's spike count per sample; nil if no
	// neuron can spike within T steps.
	Count *G.Node
}

// LIF unrolls a hidden layer over len(in) steps. in[n] is the layer's input
// at step n, [batch, fan_in] (nil for zero); w is [fan_in, units]; v is the
// [units, units] recurrent matrix or nil for a feed-forward layer.
//
// Each step is four nodes: S[n] = ops.Spike(U[n]), its ops.Detach where the
// gradient must stop, the membrane update (lif.Membrane) and the synaptic
// update with its sparse input projection (lif.Synapses). The synaptic
// current is carried scaled by (1 − β_mem), which saves a multiplication
// per neuron and step and changes nothing else.
func LIF(in []*G.Node, w, v *G.Node, c LIFConfig) (*Layer, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaMem", c.BetaMem); err != nil {
		return nil, err
	}
	if err := c.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("graph: LIFConfig.Surrogate: %w", err)
	}
	T := len(in)
	l := &Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	st, err := newStepper(w, v, c)
	if err != nil {
		return nil, fmt.Errorf("graph: LIF: %w", err)
	}
	var cur, pot *G.Node // (1 − β_mem)·I[n], U[n]
	for n := 0; n < T; n++ {
		spk, err := st.spike(n, pot)
		if err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
		l.Potentials[n], l.Spikes[n] = pot, spk
		if n == T-1 {
			break // U[T] is never read
		}
		var detached *G.Node // Detach(S[n]), built once if needed
		stop := func(grad bool) (*G.Node, error) {
			if spk == nil || grad {
				return spk, nil
			}
			if detached == nil {
				detached, err = ops.Detach(spk)
			}
			return detached, err
		}
		reset, err := stop(c.DifferentiableReset)
		if err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
		if pot, err = st.membrane(n, pot, cur, reset); err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
		if n == T-2 {
			continue // I[T−1] would only feed U[T]
		}
		var rec *G.Node
		if v != nil {
			if rec, err = stop(c.RecurrentGrad); err != nil {
				return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
			}
		}
		if cur, err = st.synapse(n, cur, in[n], rec, pot); err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
	}
	count, err := sumNonNil(l.Spikes)
	if err != nil {
		return nil, fmt.Errorf("graph: LIF spike count: %w", err)
	}
	l.Count = count
	return l, nil
}

func checkDecay(name string, b float64) error {
	if !(b >= 0 && b < 1) {
		return fmt.Errorf("graph: %s must lie in [0, 1), got %g", name, b)
	}
	return nil
}

// stepper builds the nodes of a step, fused (lif.Cell) or plain.
type stepper struct {
	c    LIFConfig
	cell *lif.Cell     // fused
	syn  *lif.Synapses // plain
}

func newStepper(w, v *G.Node, c LIFConfig) (*stepper, error) {
	st := &stepper{c: c}
	if !c.Fused {
		if err := c.Surrogate.Validate(); err != nil {
			return nil, err
		}
		st.syn = lif.NewSynapses(w, v)
		return st, nil
	}
	var err error
	st.cell, err = lif.NewCell(c.BetaMem, c.BetaSyn, c.Surrogate, w, v)
	return st, err
}

// spike is S[n]; a zero potential cannot reach the threshold.
func (st *stepper) spike(n int, pot *G.Node) (*G.Node, error) {
	switch {
	case pot == nil:
		return nil, nil
	case st.cell != nil:
		return st.cell.Spike(n, pot)
	}
	return ops.Spike(pot, st.c.Surrogate)
}

// membrane is U[n+1] (nil if U[n] and I[n] are).
func (st *stepper) membrane(n int, pot, cur, reset *G.Node) (*G.Node, error) {
	switch {
	case pot == nil && cur == nil:
		return nil, nil
	case st.cell != nil:
		return st.cell.Membrane(n, pot, cur, reset)
	}
	return lif.Membrane(st.c.BetaMem, pot, cur, reset)
}

// synapse is (1 − β_mem)·I[n+1]; next is U[n+1].
func (st *stepper) synapse(n int, cur, in, rec, next *G.Node) (*G.Node, error) {
	if st.cell != nil {
		return st.cell.Synapse(n, cur, in, rec, next)
	}
	return st.syn.Step(st.c.BetaSyn, cur, 1-st.c.BetaMem, in, rec)
}

// sumNonNil adds the non-nil nodes; nil if there are none.
func sumNonNil(xs []*G.Node) (*G.Node, error) {
	var live []*G.Node
	for _, x := range xs {
		if x != nil {
			live = append(live, x)
		}
	}
	switch len(live) {
	case 0:
		return nil, nil
	case 1:
		return live[0], nil
	}
	return ops.Sum(live...)
}

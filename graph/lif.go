package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops"
)

// LIFConfig sets the dynamics and the gradient path of a hidden LIF layer.
type LIFConfig struct {
	BetaSyn, BetaMem float64 // per-step decay of synaptic current and membrane
	Surrogate        ops.Surrogate
	// DifferentiableReset lets the gradient flow through the reset factor
	// (1 − S[n]); by default it passes through ops.Detach.
	DifferentiableReset bool
	// RecurrentGrad lets the gradient flow from I[n+1] back into S[n]
	// through the recurrent weights; by default S[n] is detached there
	// (the weights V still learn).
	RecurrentGrad bool
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
func LIF(in []*G.Node, w, v *G.Node, c LIFConfig) (*Layer, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaMem", c.BetaMem); err != nil {
		return nil, err
	}
	T := len(in)
	l := &Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	var cur, pot *G.Node // I[n], U[n]
	for n := 0; n < T; n++ {
		spk, err := spike(pot, c.Surrogate)
		if err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
		l.Potentials[n], l.Spikes[n] = pot, spk
		if n == T-1 {
			break // U[T] is never read
		}
		if pot, err = membrane(pot, cur, spk, c); err != nil {
			return nil, fmt.Errorf("graph: LIF step %d: %w", n, err)
		}
		if n == T-2 {
			continue // I[T−1] would only feed U[T]
		}
		if cur, err = lifCurrent(cur, in[n], w, spk, v, c); err != nil {
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

// spike is S[n]; a zero potential cannot reach the threshold.
func spike(pot *G.Node, s ops.Surrogate) (*G.Node, error) {
	if pot == nil {
		return nil, nil
	}
	return ops.Spike(pot, s)
}

// membrane is U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − S[n]).
func membrane(pot, cur, spk *G.Node, c LIFConfig) (*G.Node, error) {
	v, err := axpby(c.BetaMem, pot, 1-c.BetaMem, cur)
	if err != nil || v == nil || spk == nil {
		return v, err
	}
	r := spk
	if !c.DifferentiableReset {
		if r, err = ops.Detach(spk); err != nil {
			return nil, err
		}
	}
	return ops.Reset(v, r)
}

// lifCurrent is I[n+1] = β_syn·I[n] + S_in[n]·W (+ S[n]·V).
func lifCurrent(cur, in, w, spk, v *G.Node, c LIFConfig) (*G.Node, error) {
	x, err := matmul(in, w)
	if err != nil {
		return nil, err
	}
	if v != nil && spk != nil {
		r := spk
		if !c.RecurrentGrad {
			if r, err = ops.Detach(spk); err != nil {
				return nil, err
			}
		}
		rec, err := G.Mul(r, v)
		if err != nil {
			return nil, err
		}
		if x, err = add(x, rec); err != nil {
			return nil, err
		}
	}
	return axpby(c.BetaSyn, cur, 1, x)
}

// matmul is in·w, nil when the input is zero.
func matmul(in, w *G.Node) (*G.Node, error) {
	if in == nil {
		return nil, nil
	}
	return G.Mul(in, w)
}

func add(x, y *G.Node) (*G.Node, error) { return axpby(1, x, 1, y) }

// axpby is a·x + b·y where nil operands are zero; it is nil when both are.
func axpby(a float64, x *G.Node, b float64, y *G.Node) (*G.Node, error) {
	switch {
	case x == nil && y == nil:
		return nil, nil
	case x == nil:
		return scale(b, y)
	case y == nil:
		return scale(a, x)
	}
	return ops.Axpby(a, x, b, y)
}

func scale(a float64, x *G.Node) (*G.Node, error) {
	if a == 1 {
		return x, nil
	}
	return ops.Scale(a, x)
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

package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Reduction turns the readout potentials U_o[1 … T] into logits.
type Reduction int

const (
	// MaxOverTime takes max_n U_o[n], as in the Tempotron. Built as a chain
	// of MaxBetween so that the gradient of a tie goes to one time step
	// only, the earliest.
	MaxOverTime Reduction = iota
	// SumOverTime takes Σ_n U_o[n].
	SumOverTime
)

// String returns "max" or "sum".
func (r Reduction) String() string {
	switch r {
	case MaxOverTime:
		return "max"
	case SumOverTime:
		return "sum"
	}
	return fmt.Sprintf("Reduction(%d)", int(r))
}

// ParseReduction accepts "max" or "sum".
func ParseReduction(s string) (Reduction, error) {
	switch s {
	case "max":
		return MaxOverTime, nil
	case "sum":
		return SumOverTime, nil
	}
	return 0, fmt.Errorf("unknown readout %q: want max or sum", s)
}

// ReadoutConfig sets the dynamics of the non-spiking readout layer.
type ReadoutConfig struct {
	BetaSyn, BetaOut float64
	Reduction        Reduction
}

// Readout holds the nodes of an unrolled readout layer.
type Readout struct {
	// Potentials are U_o[1 … T], [batch, outputs]; nil entries are zero.
	Potentials []*G.Node
	Logits     *G.Node // [batch, outputs]
}

// LeakyReadout unrolls a readout of leaky integrators over len(in) steps.
// in[n] is [batch, fan_in] (nil for zero), w is [fan_in, outputs].
func LeakyReadout(in []*G.Node, w *G.Node, c ReadoutConfig) (*Readout, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaOut", c.BetaOut); err != nil {
		return nil, err
	}
	T := len(in)
	r := &Readout{Potentials: make([]*G.Node, T)}
	var cur, pot *G.Node // I_o[n], U_o[n]
	var err error
	for n := 0; n < T; n++ {
		if pot, err = axpby(c.BetaOut, pot, 1-c.BetaOut, cur); err != nil {
			return nil, fmt.Errorf("graph: readout step %d: %w", n, err)
		}
		r.Potentials[n] = pot
		if n == T-1 {
			break // I_o[T] is never read
		}
		x, err := matmul(in[n], w)
		if err != nil {
			return nil, fmt.Errorf("graph: readout step %d: %w", n, err)
		}
		if cur, err = axpby(c.BetaSyn, cur, 1, x); err != nil {
			return nil, fmt.Errorf("graph: readout step %d: %w", n, err)
		}
	}
	if r.Logits, err = reduce(r.Potentials, w, c.Reduction); err != nil {
		return nil, fmt.Errorf("graph: readout logits: %w", err)
	}
	return r, nil
}

// reduce builds the logits. Leading nil potentials are zeros that still
// take part in the maximum; they are represented by one zero constant.
func reduce(pots []*G.Node, w *G.Node, red Reduction) (*G.Node, error) {
	var live []*G.Node
	for _, p := range pots {
		if p != nil {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		return nil, fmt.Errorf("no readout potential can be non-zero within %d steps", len(pots))
	}
	switch red {
	case SumOverTime:
		return sumNonNil(live)
	case MaxOverTime:
		acc := live[0]
		if len(live) < len(pots) {
			acc = zerosLike(live[0], w)
		} else {
			live = live[1:]
		}
		for _, p := range live {
			var err error
			if acc, err = G.MaxBetween(acc, p); err != nil {
				return nil, err
			}
		}
		return acc, nil
	}
	return nil, fmt.Errorf("unknown reduction %v", red)
}

// zerosLike is a constant zero tensor of x's shape and w's dtype.
func zerosLike(x, w *G.Node) *G.Node {
	z := tensor.New(tensor.WithShape(x.Shape().Clone()...), tensor.Of(w.Dtype()))
	return G.NewConstant(z, G.WithName(fmt.Sprintf("zero_%v", x.Shape())))
}

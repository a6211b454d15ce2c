package network

import "fmt"

// Reduction turns the readout potentials U_o[1 … T] into logits.
type Reduction int

const (
	// MaxOverTime takes max_n U_o[n], as in the Tempotron: one
	// ops.MaxOverTime node, whose gradient goes to one time step only, the
	// earliest of ties.
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

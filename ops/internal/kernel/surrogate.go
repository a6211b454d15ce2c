package kernel

import "math"

// Surrogate is a surrogate derivative h as the kernels evaluate it:
// ops.Surrogate without the names. Its shapes have ops.Shape's numbers.
type Surrogate struct {
	Shape Shape
	Beta  float64
}

// Shape names a surrogate derivative family; see ops.Shape.
type Shape int

const (
	SuperSpike Shape = iota // 1/(β|x|+1)²
	Sigmoid                 // s(x)(1 − s(x)), s(x) = 1/(1 + exp(−βx))
	Esser                   // max(0, 1 − β|x|)
	Asymptotic              // β/(β|x|+1)²
	Exact                   // 0
)

// Deriv returns h(x), the surrogate derivative at distance x = u − θ from
// the threshold.
func (s Surrogate) Deriv(x float64) float64 {
	switch s.Shape {
	case SuperSpike:
		d := s.Beta*math.Abs(x) + 1
		return 1 / (d * d)
	case Asymptotic:
		d := s.Beta*math.Abs(x) + 1
		return s.Beta / (d * d)
	case Sigmoid:
		e := math.Exp(-s.Beta * math.Abs(x)) // symmetric, and no overflow for large |x|
		return e / ((1 + e) * (1 + e))
	case Esser:
		return math.Max(0, 1-s.Beta*math.Abs(x))
	default:
		return 0
	}
}

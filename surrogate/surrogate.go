package surrogate

import (
	"fmt"
	"math"
	"strings"
)

// Shape names a surrogate derivative family. Its zero value is Unset, so
// that a Surrogate left out of a configuration is an error rather than a
// choice.
type Shape int

const (
	// Unset is the zero Shape: no surrogate was chosen. Validate refuses
	// it. (Before issue 23 the zero Shape was SuperSpike, so a zero
	// Surrogate trained with the constant surrogate h = 1 unannounced;
	// Constant now asks for that explicitly.)
	Unset Shape = iota
	// SuperSpike is h(x) = 1/(β|x|+1)²; β = 0 gives h = 1, the constant
	// surrogate of Constant.
	SuperSpike
	// Sigmoid is the derivative of a sigmoid of slope β: h(x) = s(x)(1 − s(x)),
	// s(x) = 1/(1 + exp(−βx)). Its peak is 1/4.
	Sigmoid
	// Esser is the piecewise-linear h(x) = max(0, 1 − β|x|) of Esser et al. (2016).
	Esser
	// Asymptotic is the asymptotic SuperSpike h(x) = β/(β|x|+1)², whose peak
	// grows with β: it tends to the true derivative, a Dirac delta.
	Asymptotic
	// Exact is the true derivative of the step, zero almost everywhere: no
	// gradient flows through a spike. It exists to show that learning fails.
	Exact
)

var shapeNames = [...]string{
	Unset:      "unset",
	SuperSpike: "superspike",
	Sigmoid:    "sigmoid",
	Esser:      "esser",
	Asymptotic: "asymptotic",
	Exact:      "exact",
}

// String returns the shape's name as ParseShape accepts it.
func (s Shape) String() string {
	if s < 0 || int(s) >= len(shapeNames) {
		return fmt.Sprintf("Shape(%d)", int(s))
	}
	return shapeNames[s]
}

// ShapeNames lists the accepted shape names in order (Unset is none).
func ShapeNames() []string { return append([]string(nil), shapeNames[SuperSpike:]...) }

// ParseShape returns the shape called name (case-insensitive).
func ParseShape(name string) (Shape, error) {
	for i, n := range shapeNames {
		if Shape(i) != Unset && strings.EqualFold(name, n) {
			return Shape(i), nil
		}
	}
	return Unset, fmt.Errorf("unknown surrogate %q: want one of %s", name, strings.Join(ShapeNames(), ", "))
}

// Surrogate is a surrogate derivative: a shape and its slope β. The zero
// Surrogate has no shape and is refused by Validate, and so by every
// builder that takes one (graph.LIF, ops.Spike, network.Spec.Validate).
type Surrogate struct {
	Shape Shape
	Beta  float64
}

// Constant returns the constant surrogate h(x) = 1, which passes the
// gradient through every spike unchanged whatever the distance to the
// threshold: SuperSpike with β = 0, the flat control of Zenke & Vogels
// (2021), which the settings reach as surrogate superspike, beta 0.
func Constant() Surrogate { return Surrogate{Shape: SuperSpike, Beta: 0} }

// Validate reports whether s is a usable surrogate.
func (s Surrogate) Validate() error {
	if s.Shape == Unset {
		return fmt.Errorf("surrogate not set (the zero Surrogate): choose a Shape, or surrogate.Constant() for the constant h = 1")
	}
	if s.Shape < 0 || int(s.Shape) >= len(shapeNames) {
		return fmt.Errorf("unknown surrogate shape %d", int(s.Shape))
	}
	if math.IsNaN(s.Beta) || math.IsInf(s.Beta, 0) || s.Beta < 0 {
		return fmt.Errorf("surrogate slope β must be finite and ≥ 0, got %g", s.Beta)
	}
	return nil
}

// String formats s as "shape(β=…)". The spiking ops print it in their
// names, which Gorgonia hashes to merge nodes: it must not change.
func (s Surrogate) String() string { return fmt.Sprintf("%v(β=%g)", s.Shape, s.Beta) }

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

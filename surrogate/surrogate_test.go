package surrogate

import (
	"math"
	"testing"
)

// TestSurrogateClosedForms checks h(x) at hand-computed points.
func TestSurrogateClosedForms(t *testing.T) {
	cases := []struct {
		s    Surrogate
		x, h float64
	}{
		{Surrogate{Shape: SuperSpike, Beta: 10}, 0, 1},
		{Surrogate{Shape: SuperSpike, Beta: 10}, 0.1, 0.25},
		{Surrogate{Shape: SuperSpike, Beta: 10}, -0.3, 1.0 / 16},
		{Surrogate{Shape: SuperSpike, Beta: 0}, 5, 1},
		{Surrogate{Shape: Asymptotic, Beta: 10}, 0, 10},
		{Surrogate{Shape: Asymptotic, Beta: 10}, 0.1, 2.5},
		{Surrogate{Shape: Sigmoid, Beta: 10}, 0, 0.25},
		{Surrogate{Shape: Sigmoid, Beta: 2}, 0.5, math.E / ((1 + math.E) * (1 + math.E))},
		{Surrogate{Shape: Sigmoid, Beta: 2}, -0.5, math.E / ((1 + math.E) * (1 + math.E))},
		{Surrogate{Shape: Sigmoid, Beta: 100}, 1000, 0},
		{Surrogate{Shape: Esser, Beta: 10}, 0, 1},
		{Surrogate{Shape: Esser, Beta: 10}, 0.05, 0.5},
		{Surrogate{Shape: Esser, Beta: 10}, -0.2, 0},
		{Surrogate{Shape: Exact, Beta: 10}, 0, 0},
	}
	for _, c := range cases {
		if got := c.s.Deriv(c.x); math.Abs(got-c.h) > 1e-15*math.Max(1, math.Abs(c.h)) {
			t.Errorf("%v at %g: h = %g, want %g", c.s, c.x, got, c.h)
		}
	}
}

func TestParseShape(t *testing.T) {
	for _, n := range ShapeNames() {
		s, err := ParseShape(n)
		if err != nil || s.String() != n {
			t.Errorf("ParseShape(%q) = %v, %v", n, s, err)
		}
	}
	if _, err := ParseShape("relu"); err == nil {
		t.Error("ParseShape(relu): want an error")
	}
	if err := (Surrogate{Shape: SuperSpike, Beta: -1}).Validate(); err == nil {
		t.Error("negative β: want an error")
	}
	if err := (Surrogate{Shape: Esser, Beta: math.NaN()}).Validate(); err == nil {
		t.Error("NaN β: want an error")
	}
}

// The spiking ops print a surrogate in their names, and Gorgonia merges
// nodes by the hash of those names: the format is pinned.
func TestString(t *testing.T) {
	for s, want := range map[Surrogate]string{
		{Shape: SuperSpike, Beta: 10}: "superspike(β=10)",
		{Shape: Sigmoid, Beta: 0.5}:   "sigmoid(β=0.5)",
		{Shape: Exact}:                "exact(β=0)",
		{Shape: 7, Beta: 1}:           "Shape(7)(β=1)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%#v prints %q, want %q", s, got, want)
		}
	}
}

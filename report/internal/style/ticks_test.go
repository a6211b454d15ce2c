package style

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func labels(ts []plot.Tick) string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return strings.Join(out, " ")
}

func TestPlainTicks(t *testing.T) {
	cases := map[[2]float64]string{
		{0, 100}:        "0 20 40 60 80 100",
		{0, 26.3}:       "0 5 10 15 20 25",
		{-1, 1}:         "-1 -0.5 0 0.5 1",
		{0.0003, 0.011}: "0.002 0.004 0.006 0.008 0.01",
	}
	for r, want := range cases {
		if got := labels(plainTicks{}.Ticks(r[0], r[1])); got != want {
			t.Errorf("ticks of [%g, %g]: %q, want %q", r[0], r[1], got, want)
		}
	}
}

func TestLog10Ticks(t *testing.T) {
	cases := map[[2]float64]string{
		{1, 1000}: "1 10 100 1000",  // three decades: powers of ten
		{4, 50}:   "5 10 20 50",     // one decade: 1, 2, 5 as well
		{20, 60}:  "20 30 40 50 60", // under a decade: every tick
	}
	for r, want := range cases {
		if got := labels(Log10Ticks{}.Ticks(math.Log10(r[0]), math.Log10(r[1]))); got != want {
			t.Errorf("log ticks of [%g, %g]: %q, want %q", r[0], r[1], got, want)
		}
	}
}

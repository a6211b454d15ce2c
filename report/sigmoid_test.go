package report_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report"
)

// TestFitSigmoidRecoversParameters: points drawn from a known sigmoid with
// noise give back its parameters and, above all, its transition.
func TestFitSigmoidRecoversParameters(t *testing.T) {
	want := report.Sigmoid{A: 0.1, B: 0.95, C: math.Log(36), D: 0.4}
	rng := rand.New(rand.NewPCG(7, 7))
	var s, acc []float64
	for i := range 60 {
		x := math.Pow(10, 0.3+2.7*float64(i)/59) // 2 … 1000 spikes
		s = append(s, x)
		acc = append(acc, want.At(x)+0.01*rng.NormFloat64())
	}
	got, rmse, err := report.FitSigmoid(s, acc)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.A-want.A) > 0.02 || math.Abs(got.B-want.B) > 0.02 || math.Abs(got.D-want.D) > 0.1 {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if tr := got.Transition(); math.Abs(tr-36)/36 > 0.05 {
		t.Errorf("transition %g, want 36 ± 5 %%", tr)
	}
	if rmse > 0.015 {
		t.Errorf("rmse %g for noise 0.01", rmse)
	}
	// Exact points fit exactly, whatever the order.
	for i := range acc {
		acc[i] = want.At(s[i])
	}
	s[0], s[59], acc[0], acc[59] = s[59], s[0], acc[59], acc[0]
	got, rmse, err = report.FitSigmoid(s, acc)
	if err != nil || rmse > 1e-4 || math.Abs(got.Transition()-36) > 0.1 {
		t.Errorf("noise-free fit %+v, rmse %g, %v", got, rmse, err)
	}
}

// TestFitSigmoidStaysWithinAccuracies: the asymptotes are accuracies, in
// [0, 1], even where the points, as in our one-layer randman runs of Fig. 9
// (local scale), rise slowly to a plateau that a free sigmoid overshoots
// (it fitted 101 %).
func TestFitSigmoidStaysWithinAccuracies(t *testing.T) {
	s := []float64{1.357, 1.617, 2.012, 2.905, 5.6, 9.7, 17.6, 40.8, 83.9, 151.0}
	acc := []float64{0.397, 0.419, 0.459, 0.531, 0.641, 0.752, 0.853, 0.98, 0.98, 0.978}
	got, _, err := report.FitSigmoid(s, acc)
	if err != nil {
		t.Fatal(err)
	}
	if got.A < 0 || got.B > 1 || got.A > got.B {
		t.Errorf("fit %+v: want 0 ≤ A ≤ B ≤ 1", got)
	}
	for _, x := range []float64{0.01, 1, 100, 1e6} {
		if a := got.At(x); a < 0 || a > 1 {
			t.Errorf("fit %+v: acc(%g) = %g", got, x, a)
		}
	}
}

func TestFitSigmoidErrors(t *testing.T) {
	cases := []struct {
		s, acc []float64
		want   string
	}{
		{[]float64{1, 2, 3}, []float64{0.1, 0.5, 0.9}, "at least 5 points"},
		{[]float64{1, 1, 1, 2, 2}, []float64{0.1, 0.1, 0.1, 0.9, 0.9}, "4 different"},
		{[]float64{0, 1, 2, 3, 4}, []float64{0.1, 0.1, 0.5, 0.9, 0.9}, "want s > 0"},
		{[]float64{1, 2}, []float64{0.1}, "2 spike counts, 1 accuracies"},
	}
	for _, c := range cases {
		_, _, err := report.FitSigmoid(c.s, c.acc)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FitSigmoid(%v) = %v, want %q", c.s, err, c.want)
		}
	}
}

package study

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/spikegrad/spikegrad/baseline"
)

// Difference is a − b of two means with Welch's 95 % confidence interval
// (unequal variances; Welch–Satterthwaite degrees of freedom). CI95 is
// NaN when either side has fewer than two values.
type Difference struct {
	Mean, CI95, DF float64
}

// Welch returns the difference of the means of a and b.
func Welch(a, b baseline.Stats) Difference {
	d := Difference{Mean: a.Mean - b.Mean, CI95: math.NaN(), DF: math.NaN()}
	if a.N < 2 || b.N < 2 {
		return d
	}
	va, vb := a.Std*a.Std/float64(a.N), b.Std*b.Std/float64(b.N)
	se := math.Sqrt(va + vb)
	if se == 0 {
		d.CI95, d.DF = 0, float64(a.N+b.N-2)
		return d
	}
	d.DF = (va + vb) * (va + vb) / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	d.CI95 = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: d.DF}.Quantile(0.975) * se
	return d
}

// Verdict says how a difference reads: "above" or "below" when its
// interval excludes zero, "level" when it holds zero, "not measured"
// without an interval.
func (d Difference) Verdict() string {
	switch {
	case math.IsNaN(d.CI95):
		return "not measured"
	case d.Mean-d.CI95 > 0:
		return "above"
	case d.Mean+d.CI95 < 0:
		return "below"
	}
	return "level"
}

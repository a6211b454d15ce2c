package report

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/optimize"
)

// Sigmoid is a sigmoid in the logarithm of the spike count s,
//
//	acc(s) = A + (B − A) / (1 + exp(−(ln s − C) / D)),
//
// the curve the paper fits to accuracy against hidden spikes per input
// (Fig. 9). A and B are the accuracies far below and far above the
// transition (fits keep them in [0, 1]), exp(C) is the spike count at half
// height and D > 0 its width in natural-log units.
type Sigmoid struct {
	A, B, C, D float64
}

// At returns acc(s).
func (g Sigmoid) At(s float64) float64 {
	return g.A + (g.B-g.A)/(1+math.Exp(-(math.Log(s)-g.C)/g.D))
}

// Transition returns the spike count at half height, exp(C).
func (g Sigmoid) Transition() float64 { return math.Exp(g.C) }

// FitSigmoid fits a Sigmoid to the points (s[i], acc[i]) by least squares
// with Nelder–Mead, from several starting transitions so that a poor start
// does not end in a local minimum, and returns it with the root mean square
// residual. It needs at least 5 points with s > 0 at 4 or more distinct s.
func FitSigmoid(s, acc []float64) (Sigmoid, float64, error) {
	if len(s) != len(acc) {
		return Sigmoid{}, 0, fmt.Errorf("report: sigmoid fit: %d spike counts, %d accuracies", len(s), len(acc))
	}
	z := make([]float64, len(s))
	for i, v := range s {
		if !(v > 0) || math.IsInf(v, 0) || math.IsNaN(acc[i]) {
			return Sigmoid{}, 0, fmt.Errorf("report: sigmoid fit: point %d is (%g, %g), want s > 0 and finite", i, v, acc[i])
		}
		z[i] = math.Log(v)
	}
	if len(z) < 5 || distinctCount(z) < 4 {
		return Sigmoid{}, 0, errors.New("report: sigmoid fit: want at least 5 points at 4 different spike counts")
	}
	sse := func(p []float64) float64 {
		g := fromParams(p)
		var e float64
		for i, zi := range z {
			r := acc[i] - (g.A + (g.B-g.A)/(1+math.Exp(-(zi-g.C)/g.D)))
			e += r * r
		}
		return e
	}
	best, bestF := Sigmoid{}, math.Inf(1)
	for _, x0 := range starts(z, acc) {
		res, err := optimize.Minimize(optimize.Problem{Func: sse}, x0,
			&optimize.Settings{MajorIterations: 4000}, &optimize.NelderMead{})
		if err != nil && res == nil {
			continue
		}
		if res.F < bestF {
			best, bestF = fromParams(res.X), res.F
		}
	}
	if math.IsInf(bestF, 1) || math.IsNaN(bestF) {
		return Sigmoid{}, 0, errors.New("report: sigmoid fit did not converge")
	}
	return best, math.Sqrt(bestF / float64(len(z))), nil
}

// fromParams maps the optimiser's free parameters to a sigmoid: the
// asymptotes through the logistic function, because they are accuracies and
// a free fit overshoots 100 % on points that rise slowly into a plateau;
// D = exp(p3) keeps the width positive, clamped so exp stays finite.
func fromParams(p []float64) Sigmoid {
	return Sigmoid{A: logistic(p[0]), B: logistic(p[1]), C: p[2], D: math.Exp(math.Max(-12, math.Min(12, p[3])))}
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logit is the inverse of logistic, for accuracies kept off 0 and 1.
func logit(a float64) float64 {
	a = math.Max(1e-3, math.Min(1-1e-3, a))
	return math.Log(a / (1 - a))
}

// starts returns starting points: the accuracy range for A and B, and
// transitions at several quantiles of ln s with a narrow and a wide width.
func starts(z, acc []float64) [][]float64 {
	lo, hi := minMax(acc)
	sorted := append([]float64(nil), z...)
	sort.Float64s(sorted)
	span := math.Max(sorted[len(sorted)-1]-sorted[0], 1e-3)
	var xs [][]float64
	for _, q := range []float64{0.2, 0.35, 0.5, 0.65, 0.8} {
		c := sorted[int(q*float64(len(sorted)-1))]
		for _, w := range []float64{span / 20, span / 5} {
			xs = append(xs, []float64{logit(lo), logit(hi), c, math.Log(w)})
		}
	}
	return xs
}

func minMax(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

func distinctCount(xs []float64) int {
	seen := map[float64]bool{}
	for _, x := range xs {
		seen[x] = true
	}
	return len(seen)
}

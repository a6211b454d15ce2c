package report

import (
	"fmt"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/report/chart"
)

// Defaults of Surrogates: the shapes of Fig. 3a and the asymptotic one of
// Fig. 5a, and slopes spanning the paper's grid.
var (
	DefaultShapes = []ops.Shape{ops.SuperSpike, ops.Sigmoid, ops.Esser, ops.Asymptotic}
	DefaultBetas  = []float64{1, 2, 5, 10, 20, 50}
)

// shapeTitles name the shapes as the paper does, with their formula.
var shapeTitles = map[ops.Shape]string{
	ops.SuperSpike: "SuperSpike  1/(β|x|+1)²",
	ops.Sigmoid:    "sigmoid′  s(x)(1−s(x)), s = 1/(1+e^(−βx))",
	ops.Esser:      "Esser et al.  max(0, 1−β|x|)",
	ops.Asymptotic: "asymptotic SuperSpike  β/(β|x|+1)²",
	ops.Exact:      "exact  0 (almost everywhere)",
}

// Surrogates draws the surrogate derivative h(x) of each shape for each β,
// one panel per shape, as computed by ops.Surrogate.Deriv (paper Fig. 3a
// and 5a). Nil arguments take DefaultShapes and DefaultBetas.
func Surrogates(path string, shapes []ops.Shape, betas []float64) error {
	if shapes == nil {
		shapes = DefaultShapes
	}
	if betas == nil {
		betas = DefaultBetas
	}
	for _, b := range betas {
		if err := (ops.Surrogate{Beta: b}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
	}
	panels := make([]chart.SurrogatePanel, len(shapes))
	for i, sh := range shapes {
		if err := (ops.Surrogate{Shape: sh}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
		panels[i] = chart.SurrogatePanel{Title: shapeTitles[sh],
			H: func(beta, x float64) float64 { return ops.Surrogate{Shape: sh, Beta: beta}.Deriv(x) }}
	}
	return chart.DrawSurrogates(path, panels, betas)
}

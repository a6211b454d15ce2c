package report

import (
	"fmt"

	"github.com/spikegrad/spikegrad/report/chart"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Defaults of Surrogates: the shapes of Fig. 3a and the asymptotic one of
// Fig. 5a, and slopes spanning the paper's grid.
var (
	DefaultShapes = []surrogate.Shape{surrogate.SuperSpike, surrogate.Sigmoid, surrogate.Esser, surrogate.Asymptotic}
	DefaultBetas  = []float64{1, 2, 5, 10, 20, 50}
)

// shapeTitles name the shapes as the paper does, with their formula.
var shapeTitles = map[surrogate.Shape]string{
	surrogate.SuperSpike: "SuperSpike  1/(β|x|+1)²",
	surrogate.Sigmoid:    "sigmoid′  s(x)(1−s(x)), s = 1/(1+e^(−βx))",
	surrogate.Esser:      "Esser et al.  max(0, 1−β|x|)",
	surrogate.Asymptotic: "asymptotic SuperSpike  β/(β|x|+1)²",
	surrogate.Exact:      "exact  0 (almost everywhere)",
}

// Surrogates draws the surrogate derivative h(x) of each shape for each β,
// one panel per shape, as computed by surrogate.Surrogate.Deriv (paper Fig. 3a
// and 5a). Nil arguments take DefaultShapes and DefaultBetas.
func Surrogates(path string, shapes []surrogate.Shape, betas []float64) error {
	if shapes == nil {
		shapes = DefaultShapes
	}
	if betas == nil {
		betas = DefaultBetas
	}
	for _, b := range betas {
		if err := (surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: b}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
	}
	panels := make([]chart.SurrogatePanel, len(shapes))
	for i, sh := range shapes {
		if err := (surrogate.Surrogate{Shape: sh}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
		panels[i] = chart.SurrogatePanel{Title: shapeTitles[sh],
			H: func(beta, x float64) float64 { return surrogate.Surrogate{Shape: sh, Beta: beta}.Deriv(x) }}
	}
	return chart.DrawSurrogates(path, panels, betas)
}

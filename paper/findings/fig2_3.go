package findings

import (
	"fmt"
	"image/color"
	"math"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
	"github.com/spikegrad/spikegrad/surrogate"
)

// fig2b: learning curves with the true gradient and with a surrogate on a
// two-class randman task.
func (r results) fig2b(f *figures) ([]Row, error) {
	const name = "fig2b_learning_curves"
	groups := []struct{ label, surrogate string }{{"true gradient", "exact"}, {"surrogate (SuperSpike)", "superspike"}}
	c := chart.CurveChart{Title: "Fig. 2b: two-class randman, one hidden layer", XLabel: "epoch", YLabel: "training loss",
		Colors: []color.Color{grey, vermilion}}
	var acc [2]report.Summary
	var loss [2]float64
	for gi, g := range groups {
		c.Groups = append(c.Groups, g.label)
		runs := r.Where("fig2b", "surrogate", g.surrogate)
		acc[gi] = report.Summarize(runs)
		loss[gi] = math.NaN()
		if len(runs) > 0 {
			loss[gi] = 0
		}
		for _, run := range runs {
			x, y, err := report.CurvesFromHistory(run, "train_loss")
			if err != nil {
				return nil, err
			}
			c.Curves = append(c.Curves, chart.Curve{Group: gi, X: x, Y: y})
			loss[gi] += y[len(y)-1] / float64(len(runs))
		}
	}
	if err := f.curves(name, c); err != nil {
		return nil, err
	}
	ok := acc[1].TestMean-acc[0].TestMean >= 0.1 && loss[1] < loss[0]
	return []Row{{
		Panel: "Fig. 2b", Figure: name + ".png",
		Finding: "with the true gradient the network barely learns; with a surrogate the loss falls and it learns",
		Paper:   "learning is poor with the true gradient, the loss falls substantially with the surrogate (section 2.1, Fig. 2b; no number in the text)",
		Ours: fmt.Sprintf("final training loss %.3f (true) vs %.3f (surrogate); test %s vs %s (mean of %d and %d seeds; chance 50 %%)",
			loss[0], loss[1], pct(acc[0].TestMean), pct(acc[1].TestMean), acc[0].N, acc[1].N),
		Verdict: r.judge(verdict(ok, "the surrogate is not ≥ 10 points ahead of the true gradient"), "fig2b"),
	}}, nil
}

// fig3a5a: the surrogate shapes, normalised (Fig. 3a) and asymptotic
// (Fig. 5a), for several β. No runs.
func (r results) fig3a5a(f *figures) ([]Row, error) {
	betas := []float64{1, 2, 5, 10, 20, 50, 100}
	files := []struct {
		name   string
		shapes []surrogate.Shape
	}{{"fig3a_surrogates.png", []surrogate.Shape{surrogate.SuperSpike, surrogate.Sigmoid, surrogate.Esser}}, {"fig5a_asymptotic.png", []surrogate.Shape{surrogate.Asymptotic}}}
	for _, fl := range files {
		if err := report.Surrogates(f.path(fl.name), fl.shapes, betas); err != nil {
			return nil, err
		}
		f.done(fl.name)
	}
	return []Row{
		{Panel: "Fig. 3a", Figure: "fig3a_surrogates.png", Finding: "SuperSpike, sigmoid′ and Esser et al., normalised (peak independent of β)",
			Paper: "the three shapes, several β (Fig. 3a)", Ours: "h(x) as computed by surrogate.Surrogate.Deriv, β = 1 … 100", Verdict: Shown},
		{Panel: "Fig. 5a", Figure: "fig5a_asymptotic.png", Finding: "asymptotic SuperSpike β/(β|x|+1)², peak β, tends to the true derivative",
			Paper: "peak grows with β (Fig. 5a)", Ours: "h(0) = β for β = 1 … 100", Verdict: Shown},
	}, nil
}

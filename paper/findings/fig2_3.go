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
		Paper:   "learning is poor with the true gradient, the loss falls substantially with the surrogate (no number in the text)",
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
			Paper: "the three shapes, several β", Ours: "h(x) as computed by surrogate.Surrogate.Deriv, β = 1 … 100", Verdict: Shown},
		{Panel: "Fig. 5a", Figure: "fig5a_asymptotic.png", Finding: "asymptotic SuperSpike β/(β|x|+1)², peak β, tends to the true derivative",
			Paper: "peak grows with β", Ours: "h(0) = β for β = 1 … 100", Verdict: Shown},
	}, nil
}

// surrogates names the shapes of Fig. 3 as the paper does.
var surrogates = []struct{ key, label string }{{"superspike", "SuperSpike"}, {"sigmoid", "sigmoid′"}, {"esser", "Esser et al."}}

// fig3b: held-out accuracy over β × η for each shape, one hidden layer.
func (r results) fig3b(f *figures) ([]Row, error) {
	const name = "fig3b_heatmap"
	runs := r.Runs["fig3b"]
	row := Row{Panel: "Fig. 3b", Figure: name + ".png",
		Finding: "a wide region of β × η solves the task with SuperSpike; sigmoid′ over fewer β, Esser over fewer still; the best accuracy is alike",
		Paper:   "extensive high-accuracy regime for SuperSpike, reduced in β for sigmoid′ and further for Esser, no substantial loss of maximum performance (no number in the text)"}
	if len(runs) == 0 {
		row.Ours, row.Verdict = "no runs", r.judge("", "fig3b")
		return []Row{row}, nil
	}
	groups, err := report.GroupBy(runs, []string{"surrogate", "beta", "lr"}, 1)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"surrogate", "beta", "lr", "test_accuracy", "validation_accuracy"}}
	for _, g := range groups {
		rows = append(rows, []string{g.Values[0], g.Values[1], g.Values[2], num(g.TestMean), num(g.ValidationMean)})
	}
	if err := f.csv(name+".csv", rows); err != nil {
		return nil, err
	}
	titles := map[string]string{}
	var order []string
	for _, s := range surrogates {
		titles[s.key] = "Fig. 3b: " + s.label
		order = append(order, s.key)
	}
	if err := report.HeatmapWith(f.path(name+".png"), runs, "beta", "lr", []string{"surrogate"}, 1,
		report.HeatmapOptions{Titles: titles, Order: order}); err != nil {
		f.skip(name+".png", err)
	} else {
		f.done(name + ".png")
	}
	viable, best, total := viableBetas(runs)
	var parts []string
	for _, s := range surrogates {
		parts = append(parts, fmt.Sprintf("%s %d of %d β, best %s", s.label, viable[s.key], total[s.key], pct(best[s.key])))
	}
	row.Ours = "β whose best-on-validation η reaches within 5 points of the overall best: " + join(parts...)
	hi, lo := math.Inf(-1), math.Inf(1)
	for _, s := range surrogates {
		hi, lo = math.Max(hi, best[s.key]), math.Min(lo, best[s.key])
	}
	ss, sg, es := viable["superspike"], viable["sigmoid"], viable["esser"]
	ok := ss >= sg && sg >= es && ss > es && hi-lo <= 0.03
	row.Verdict = r.judge(verdict(ok, "viable β %d, %d, %d (want SuperSpike ≥ sigmoid′ ≥ Esser, SuperSpike > Esser) and best within 3 points: spread %.1f", ss, sg, es, 100*(hi-lo)), "fig3b")
	return []Row{row}, nil
}

// viableBetas counts per shape the β whose run with the best validation
// accuracy over η reaches a test accuracy within 5 points of the best of
// all runs, and returns each shape's best test accuracy of those runs.
func viableBetas(runs []report.Run) (viable map[string]int, best map[string]float64, total map[string]int) {
	viable, best, total = map[string]int{}, map[string]float64{}, map[string]int{}
	groups, err := report.GroupBy(runs, []string{"surrogate", "beta"}, 1)
	if err != nil {
		return
	}
	top := math.Inf(-1)
	for _, g := range groups {
		top = math.Max(top, g.TestMean)
	}
	for _, g := range groups {
		s := g.Values[0]
		total[s]++
		if g.TestMean >= top-0.05 {
			viable[s]++
		}
		if v, ok := best[s]; !ok || g.TestMean > v {
			best[s] = g.TestMean
		}
	}
	return
}

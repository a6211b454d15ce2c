package findings

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
)

// fig3cData is the data of Fig. 3c: top-5 summaries of no hidden layer,
// of one and two hidden layers per shape, and of β = 0.
type fig3cData struct {
	NH0, Beta0 report.Summary
	NH1, NH2   map[string]report.Summary // by surrogate key
}

func (r results) fig3cData() fig3cData {
	d := fig3cData{NH1: map[string]report.Summary{}, NH2: map[string]report.Summary{}}
	d.NH0 = Top(r.Runs["fig3c-nh0"], 5)
	d.Beta0 = Top(r.Runs["fig3c-beta0"], 5)
	for _, s := range surrogates {
		d.NH1[s.key] = Top(r.Where("fig3b", "surrogate", s.key), 5)
		d.NH2[s.key] = Top(r.Where("fig3c-nh2", "surrogate", s.key), 5)
	}
	return d
}

// fig3c: top-5 test accuracy against the number of hidden layers and the
// shape, and β = 0.
func (r results) fig3c(f *figures) ([]Row, error) {
	const name = "fig3c_bars"
	d := r.fig3cData()
	c := chart.BarChart{Title: "Fig. 3c: top-k test accuracy", XLabel: "",
		Clusters: []string{"no hidden layer", "SuperSpike", "sigmoid′", "Esser et al.", "SuperSpike, β = 0"},
		Series:   []string{"nh = 0", "nh = 1", "nh = 2"},
		Colors:   []color.Color{black, blue, skyBlue},
		Chance:   0.1}
	c.Values = make([][]chart.BarValue, 3)
	for i := range c.Values {
		c.Values[i] = make([]chart.BarValue, len(c.Clusters))
	}
	c.Values[0][0] = d.NH0.Bar()
	for i, s := range surrogates {
		c.Values[1][i+1] = d.NH1[s.key].Bar()
		c.Values[2][i+1] = d.NH2[s.key].Bar()
	}
	c.Values[1][4] = d.Beta0.Bar()
	if err := f.barChart(name, c); err != nil {
		return nil, err
	}
	ss1, ss2 := d.NH1["superspike"], d.NH2["superspike"]
	var nh1, nh2 []string
	worst := math.Inf(1)
	for _, s := range surrogates {
		nh1 = append(nh1, s.label+" "+pm(d.NH1[s.key]))
		nh2 = append(nh2, s.label+" "+pm(d.NH2[s.key]))
		worst = math.Min(worst, d.NH1[s.key].TestMean)
	}
	all := []string{"fig3c-nh0", "fig3b"}
	return []Row{
		{Panel: "Fig. 3c", Figure: name + ".png", Finding: "no hidden layer cannot solve the task",
			Paper: "far below the networks with a hidden layer (section 2.2, Fig. 3c black bar, top 5; no number in the text)", Ours: "nh = 0: " + pm(d.NH0) + "; nh = 1 SuperSpike: " + pm(ss1),
			Verdict: r.judge(verdict(below(d.NH0.TestMean, ss1.TestMean, 0.2), "nh = 0 is not 20 points below nh = 1"), all...)},
		{Panel: "Fig. 3c", Figure: name + ".png", Finding: "one hidden layer solves it with high accuracy, whatever the shape",
			Paper: "high accuracy for all three shapes, \"no substantial reduction in maximum performance\" (section 2.2, Fig. 3c, top 5; no number in the text)", Ours: join(nh1...),
			Verdict: r.judge(verdict(worst >= 0.97, "the worst shape's top-k mean is %s, below 97 %%", pct(worst)), "fig3b")},
		{Panel: "Fig. 3c", Figure: name + ".png", Finding: "a second hidden layer improves only marginally",
			Paper: "only marginal improvement (section 2.2, Fig. 3c; no number in the text)", Ours: join(nh2...),
			Verdict: r.judge(verdict(math.Abs(ss2.TestMean-ss1.TestMean) <= 0.02, "SuperSpike nh = 2 differs from nh = 1 by %.1f points", 100*(ss2.TestMean-ss1.TestMean)), "fig3b", "fig3c-nh2")},
		{Panel: "Fig. 3c", Figure: name + ".png", Finding: "a constant surrogate (β = 0) fails, about as badly as no hidden layer",
			Paper: "significant drop, comparable to no hidden layer (section 2.2, Fig. 3c grey bar; no number in the text)", Ours: "β = 0: " + pm(d.Beta0) + "; nh = 0: " + pm(d.NH0),
			Verdict: r.judge(verdict(below(d.Beta0.TestMean, ss1.TestMean, 0.2), "β = 0 is not 20 points below β > 0"), "fig3c-beta0", "fig3b")},
	}, nil
}

// fig3dData are the test accuracies of Fig. 3d: five data sets (one hidden
// layer), five initialisations of one and of two hidden layers.
func (r results) fig3dData() []chart.BoxGroup {
	acc := func(runs []report.Run) []float64 {
		var out []float64
		for _, run := range runs {
			out = append(out, run.Test())
		}
		return out
	}
	return []chart.BoxGroup{
		{Label: "data sets, nh = 1", Values: acc(r.Runs["fig3d-data"])},
		{Label: "inits, nh = 1", Values: acc(r.Where("fig3d-init", "hidden", "100"))},
		{Label: "inits, nh = 2", Values: acc(r.Where("fig3d-init", "hidden", "100,100"))},
	}
}

// fig3d: spread over data sets and initialisations.
func (r results) fig3d(f *figures) ([]Row, error) {
	const name = "fig3d_whiskers"
	groups := r.fig3dData()
	rows := [][]string{{"group", "test_accuracy"}}
	for _, g := range groups {
		for _, v := range g.Values {
			rows = append(rows, []string{g.Label, num(v)})
		}
	}
	if err := f.csv(name+".csv", rows); err != nil {
		return nil, err
	}
	if err := chart.DrawWhiskers(f.path(name+".png"), "Fig. 3d: spread over data sets and initialisations (SuperSpike, β = 10)", groups); err != nil {
		f.skip(name+".png", err)
	} else {
		f.done(name + ".png")
	}
	var parts []string
	ok := true
	for _, g := range groups {
		if len(g.Values) == 0 {
			continue
		}
		med, lo, hi := spread(g.Values)
		parts = append(parts, fmt.Sprintf("%s: median %s, range %s–%s (%d runs)", g.Label, pct(med), pct(lo), pct(hi), len(g.Values)))
		if g.Label != "inits, nh = 2" && med-lo > 0.05 {
			ok = false
		}
	}
	return []Row{{Panel: "Fig. 3d", Figure: name + ".png",
		Finding: "the results hold over five data sets and five initialisations; a few outliers with two hidden layers",
		Paper:   "robust to data sets and initialisations, a few low outliers for nh = 2 (section 2.2, Fig. 3d; no number in the text)",
		Ours:    join(parts...),
		Verdict: r.judge(verdict(ok, "a one-layer run lies more than 5 points below its median"), "fig3d-data", "fig3d-init")}}, nil
}

// spread returns the median, minimum and maximum of xs.
func spread(xs []float64) (med, lo, hi float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1]
}

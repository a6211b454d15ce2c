package findings

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
)

// config is one of the paper's named cases of Fig. 5.
type config struct {
	label     string
	surrogate string
	flag      string // the setting that turns the gradient path on
	on        bool
	color     color.Color
}

func (c config) runs(r results, sweep, hidden string) []report.Run {
	return r.Where(sweep, "hidden", hidden, "surrogate", c.surrogate, c.flag, fmt.Sprint(c.on))
}

var (
	resetConfigs = []config{
		{"sCtl", "superspike", "diff-reset", false, grey},
		{"sDR", "superspike", "diff-reset", true, skyBlue},
		{"aCtl", "asymptotic", "diff-reset", false, black},
		{"aDR", "asymptotic", "diff-reset", true, vermilion},
	}
	recurrentConfigs = []config{
		{"sCtl", "superspike", "recurrent-grad", false, grey},
		{"sProp", "superspike", "recurrent-grad", true, skyBlue},
		{"aCtl", "asymptotic", "recurrent-grad", false, black},
		{"aProp", "asymptotic", "recurrent-grad", true, vermilion},
	}
	depths = []struct{ hidden, label string }{{"100", "nh = 1"}, {"100,100", "nh = 2"}, {"100,100,100", "nh = 3"}}
)

// fig5 writes Fig. 5b–f and returns their rows.
func (r results) fig5(f *figures) ([]Row, error) {
	var rows []Row
	for _, step := range []func(*figures) ([]Row, error){r.fig5b, r.fig5c, r.fig5d, r.fig5e, r.fig5f} {
		rs, err := step(f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// fig5b: training accuracy of the five best runs of each reset case.
func (r results) fig5b(f *figures) ([]Row, error) {
	const name = "fig5b_learning_curves"
	c := chart.CurveChart{Title: "Fig. 5b: training accuracy, top 5 per case (nh = 1)", XLabel: "epoch", YLabel: "training accuracy (%)", YMin: 0, YMax: 100}
	for gi, cf := range resetConfigs {
		c.Groups = append(c.Groups, cf.label)
		c.Colors = append(c.Colors, cf.color)
		for _, run := range TopRuns(cf.runs(r, "fig5-reset", "100"), 5) {
			x, y, err := report.CurvesFromHistory(run, "train_accuracy")
			if err != nil {
				return nil, err
			}
			c.Curves = append(c.Curves, chart.Curve{Group: gi, X: x, Y: y})
		}
	}
	if len(c.Curves) == 0 {
		f.skip(name+".png", fmt.Errorf("no runs"))
		return nil, nil
	}
	return nil, f.curves(name, c)
}

// fig5c: top-k (k ≤ 10) test accuracy of the reset cases, one hidden layer.
func (r results) fig5c(f *figures) ([]Row, error) {
	const name = "fig5bc_bars"
	s := map[string]report.Summary{}
	c := chart.BarChart{Title: "Fig. 5c: spike reset, top-k test accuracy (nh = 1)", Clusters: []string{"nh = 1"}, Chance: 0.1}
	for _, cf := range resetConfigs {
		s[cf.label] = Top(cf.runs(r, "fig5-reset", "100"), 10)
		c.Series = append(c.Series, cf.label)
		c.Colors = append(c.Colors, cf.color)
		c.Values = append(c.Values, []chart.BarValue{s[cf.label].Bar()})
	}
	if err := f.barChart(name, c); err != nil {
		return nil, err
	}
	ok := math.Abs(s["sCtl"].TestMean-s["aCtl"].TestMean) <= 0.02 && below(s["aDR"].TestMean, s["aCtl"].TestMean, 0.05)
	return []Row{{Panel: "Fig. 5b–c", Figure: name + ".png",
		Finding: "with the reset detached, normalised and asymptotic SuperSpike learn alike; a differentiable reset with the asymptotic one impairs learning",
		Paper:   "sCtl and aCtl equally good, aDR impaired (section 2.3, Fig. 5b–c; top 10, Fig. 5 caption; no number in the text)",
		Ours:    summaries(s, resetConfigs),
		Verdict: r.judge(verdict(ok, "want |sCtl − aCtl| ≤ 2 points and aDR ≥ 5 points below aCtl"), "fig5-reset")}}, nil
}

// fig5d: the reset cases of asymptotic SuperSpike against depth.
func (r results) fig5d(f *figures) ([]Row, error) {
	rows, ctl, bad, err := r.depthPanel(f, "fig5d_bars", "Fig. 5d", "fig5-reset", resetConfigs[2], resetConfigs[3],
		"Fig. 5d: asymptotic SuperSpike, reset detached or differentiable",
		"the impairment by a differentiable reset grows with the number of hidden layers",
		"\"this adverse effect on learning was amplified in deeper networks\" (section 2.3, Fig. 5d; no number in the text)")
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	rows[0].Verdict = r.judge(fig5dVerdict(ctl, bad), "fig5-reset")
	return rows, nil
}

// fig5dVerdict: the paper's claim is about aDR, whose impairment is
// amplified with depth; a gap to aCtl that grows only because aCtl gains
// with depth does not show it. Reproduced when the gap grows from one to
// three hidden layers and aDR itself falls by at least 5 points (the
// margin by which Fig. 5c calls aDR impaired).
func fig5dVerdict(ctl, bad []report.Summary) string {
	n := len(bad) - 1
	gap0, gapN := ctl[0].TestMean-bad[0].TestMean, ctl[n].TestMean-bad[n].TestMean
	falls := below(bad[n].TestMean, bad[0].TestMean, 0.05)
	if gapN > gap0 && falls {
		return Reproduced
	}
	var means []string
	for _, s := range bad {
		means = append(means, fmt.Sprintf("%.1f", 100*s.TestMean))
	}
	if gapN > gap0 {
		return verdict(false, "the gap to aCtl grows (%.1f → %.1f points) only because aCtl gains with depth (%s → %s); "+
			"aDR itself does not fall: %s %% at one to three hidden layers, %.1f points from nh = 1 to nh = %d, within the spread of its top k (± %.1f and ± %.1f)",
			100*gap0, 100*gapN, pct(ctl[0].TestMean), pct(ctl[n].TestMean), strings.Join(means, ", "),
			100*(bad[0].TestMean-bad[n].TestMean), n+1, 100*bad[0].TestStd, 100*bad[n].TestStd)
	}
	return verdict(false, "the gap at nh = %d (%.1f points) is not larger than at nh = 1 (%.1f); aDR: %s %% at one to three hidden layers",
		n+1, 100*gapN, 100*gap0, strings.Join(means, ", "))
}

// fig5e: gradients through recurrent connections, one hidden layer.
func (r results) fig5e(f *figures) ([]Row, error) {
	const name = "fig5e_bars"
	s := map[string]report.Summary{}
	c := chart.BarChart{Title: "Fig. 5e: recurrent networks, top-k test accuracy (nh = 1)", Clusters: []string{"nh = 1"}, Chance: 0.1}
	for _, cf := range recurrentConfigs {
		s[cf.label] = Top(cf.runs(r, "fig5-recurrent", "100"), 10)
		c.Series = append(c.Series, cf.label)
		c.Colors = append(c.Colors, cf.color)
		c.Values = append(c.Values, []chart.BarValue{s[cf.label].Bar()})
	}
	if err := f.barChart(name, c); err != nil {
		return nil, err
	}
	ok := below(s["aProp"].TestMean, s["aCtl"].TestMean, 0.1)
	return []Row{{Panel: "Fig. 5e", Figure: name + ".png",
		Finding: "letting the gradient flow through recurrent connections with asymptotic SuperSpike impairs learning severely",
		Paper:   "substantial decrease for aProp; a small reduction otherwise (section 2.3, Fig. 5e; top 10, Fig. 5 caption; no number in the text)",
		Ours:    summaries(s, recurrentConfigs) + "; aProp per β (best run on validation): " + perBeta(recurrentConfigs[3].runs(r, "fig5-recurrent", "100")),
		Verdict: r.judge(verdict(ok, "aProp is not 10 points below aCtl"), "fig5-recurrent")}}, nil
}

// fig5f: propagated against detached recurrent gradients, asymptotic
// SuperSpike, against depth.
func (r results) fig5f(f *figures) ([]Row, error) {
	rows, _, _, err := r.depthPanel(f, "fig5f_bars", "Fig. 5f", "fig5-recurrent", recurrentConfigs[2], recurrentConfigs[3],
		"Fig. 5f: asymptotic SuperSpike, recurrent gradient detached or propagated",
		"with the recurrent gradient propagated, asymptotic SuperSpike falls to chance, even with one hidden layer",
		"chance level (10 %: randman's 10 classes, section 2.2) at every depth, even nh = 1 (section 2.3, Fig. 5f)")
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	worst := 0.0
	for _, d := range depths {
		worst = math.Max(worst, Top(recurrentConfigs[3].runs(r, "fig5-recurrent", d.hidden), 10).TestMean)
	}
	// Why ours stay above chance was measured apart from the records: the
	// gradient test in package graph and docs/results/paper/diagnostics.
	rows[0].Verdict = r.judge(verdict(worst <= 0.2, "the best depth's aProp top-k mean is %s, above 20 %% (chance 10 %%): "+
		"its hidden layers stay active but learn little, since the gradient propagated through the recurrent weights is "+
		"tens to 10⁵ times the detached one and orthogonal to it, so the readout alone lifts it above chance, "+
		"as far as a readout on untrained hidden layers goes", pct(worst)), "fig5-recurrent")
	return rows, nil
}

// depthPanel draws ctl against the impaired case for one to three hidden
// layers, and judges whether the gap grows with depth; it returns the
// summaries of both cases per depth for verdicts of their own.
func (r results) depthPanel(f *figures, name, panel, sweep string, ctl, bad config, title, finding, paper string) ([]Row, []report.Summary, []report.Summary, error) {
	c := chart.BarChart{Title: title, Series: []string{ctl.label, bad.label}, Colors: []color.Color{grey, vermilion}, Chance: 0.1,
		Values: [][]chart.BarValue{nil, nil}}
	var parts []string
	gaps := make([]float64, len(depths))
	var as, bs []report.Summary
	for i, d := range depths {
		a, b := Top(ctl.runs(r, sweep, d.hidden), 10), Top(bad.runs(r, sweep, d.hidden), 10)
		as, bs = append(as, a), append(bs, b)
		c.Clusters = append(c.Clusters, d.label)
		c.Values[0] = append(c.Values[0], a.Bar())
		c.Values[1] = append(c.Values[1], b.Bar())
		gaps[i] = a.TestMean - b.TestMean
		parts = append(parts, fmt.Sprintf("%s: %s %s, %s %s", d.label, ctl.label, pm(a), bad.label, pm(b)))
	}
	if err := f.barChart(name, c); err != nil {
		return nil, nil, nil, err
	}
	ok := gaps[2] > gaps[0]
	return []Row{{Panel: panel, Figure: name + ".png", Finding: finding, Paper: paper, Ours: join(parts...),
		Verdict: r.judge(verdict(ok, "the gap at nh = 3 (%.1f points) is not larger than at nh = 1 (%.1f)", 100*gaps[2], 100*gaps[0]), sweep)}}, as, bs, nil
}

// summaries lists the configurations' summaries in order.
func summaries(s map[string]report.Summary, cs []config) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.label+" "+pm(s[c.label]))
	}
	return join(parts...)
}

// perBeta lists, per β, the test accuracy of the run best on validation.
func perBeta(runs []report.Run) string {
	if len(runs) == 0 {
		return "no runs"
	}
	groups, err := report.GroupBy(runs, []string{"beta"}, 1)
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, g := range groups {
		parts = append(parts, fmt.Sprintf("β = %s: %s", g.Values[0], pct(g.TestMean)))
	}
	return strings.Join(parts, ", ")
}

package findings

import (
	"fmt"
	"math"
	"strings"

	"github.com/spikegrad/spikegrad/report"
)

// spikeFit is one fitted group of Fig. 9.
type spikeFit struct {
	Dataset, Connectivity string // "randman", "FF" or "RC"
	Layers                int
	report.SpikeFit
}

// rise95 is the spike count at which the fitted sigmoid has done 95 % of
// its rise: where more activity stops paying.
func (f spikeFit) rise95() float64 { return math.Exp(f.C + f.D*math.Log(19)) }

// decade is the ratio of the spike counts at 90 % and 10 % of the rise.
func (f spikeFit) decade() float64 { return math.Exp(2 * f.D * math.Log(9)) }

// fig9Panels returns the panels of Fig. 9: per data set with runs, the
// feed-forward and the recurrent networks, each with one and two hidden
// layers, unregularised runs included.
//
// Each point is a network as trained: the paper selects among the runs of
// a grid on validation but never among the epochs of a run (its text
// names no early stopping), and Fig. 9 shows the activity the regulariser
// brings about, which is that of the weights at the end of training. So
// accuracy and spike count are both those of the final weights, on the
// test split as the paper's figures are (its Fig. 8c counts "all trials of
// the test data set"), where every record measured them there
// (final_test); records made before that measure them on validation only
// (the history's last epoch), and then every point is of the validation
// split. The records' test metrics are of the epoch best on validation,
// which for a run that never learns is an arbitrary early one: never
// used here.
func (r results) fig9Panels() (panels []report.SpikePanel, keys [][3]string, on report.Split) {
	on = r.fig9Split()
	for _, ds := range dataSets {
		sws := []string{"fig9-" + ds.key, "fig9-" + ds.key + "-free"}
		if len(r.Runs[sws[0]])+len(r.Runs[sws[1]]) == 0 {
			continue
		}
		for _, conn := range []struct{ label, rec string }{{"FF", "false"}, {"RC", "true"}} {
			pn := report.SpikePanel{Title: ds.label + ", " + map[string]string{"FF": "feed-forward", "RC": "recurrent"}[conn.label],
				YLabel: "accuracy, final weights (" + string(on) + ", %)"}
			for _, nh := range []struct{ label, layers string }{{"nh = 1", "1"}, {"nh = 2", "2"}} {
				var runs []report.Run
				for _, sw := range sws {
					for _, run := range r.Where(sw, "recurrent", conn.rec) {
						if fmt.Sprint(len(run.Record.Settings.Hidden)) == nh.layers {
							runs = append(runs, run)
						}
					}
				}
				if len(runs) > 0 {
					// The networks as trained: the records hold every
					// run's history, so the last epoch is always there.
					g, _ := report.FinalSpikeRuns(nh.label, runs, on)
					pn.Groups = append(pn.Groups, g)
				}
			}
			if len(pn.Groups) > 0 {
				panels = append(panels, pn)
				keys = append(keys, [3]string{ds.key, conn.label})
			}
		}
	}
	return panels, keys, on
}

// fig9Split is the split every record of Fig. 9 measured its final
// weights on (report.FinalSplit).
func (r results) fig9Split() report.Split {
	var runs [][]report.Run
	for _, b := range r.Plan.Batches {
		if strings.HasPrefix(b.Sweep, "fig9-") {
			runs = append(runs, r.Runs[b.Sweep])
		}
	}
	return report.FinalSplit(runs...)
}

// fig9: accuracy against hidden spikes per input, with sigmoid fits.
func (r results) fig9(f *figures) ([]Row, error) {
	const name = "fig9_spikes"
	panels, keys, on := r.fig9Panels()
	var fits []spikeFit
	if len(panels) > 0 {
		pts := [][]string{{"panel", "group", "final_spikes_per_" + string(on) + "_input", "final_" + string(on) + "_accuracy"}}
		for _, pn := range panels {
			for _, g := range pn.Groups {
				for i := range g.Spikes {
					pts = append(pts, []string{pn.Title, g.Label, num(g.Spikes[i]), num(g.Acc[i])})
				}
			}
		}
		if err := f.csv(name+".csv", pts); err != nil {
			return nil, err
		}
		drawn, err := report.SpikeGrid(f.path(name+".png"), panels, 2)
		if err != nil {
			f.skip(name+".png", err)
		} else {
			f.done(name + ".png")
		}
		for i, pn := range panels {
			for j, g := range pn.Groups {
				sf := report.FitSpikeGroup(g)
				if drawn != nil {
					sf = drawn[i][j]
				}
				fits = append(fits, spikeFit{Dataset: keys[i][0], Connectivity: keys[i][1], Layers: j + 1, SpikeFit: sf})
			}
		}
		rows := [][]string{{"data_set", "connectivity", "hidden_layers", "runs", "transition", "rise95", "decade_ratio", "acc_below", "acc_above", "rmse", "error"}}
		for _, ft := range fits {
			e := ""
			if ft.Err != nil {
				e = ft.Err.Error()
				rows = append(rows, []string{ft.Dataset, ft.Connectivity, fmt.Sprint(ft.Layers), fmt.Sprint(ft.Points), "", "", "", "", "", "", e})
				continue
			}
			rows = append(rows, []string{ft.Dataset, ft.Connectivity, fmt.Sprint(ft.Layers), fmt.Sprint(ft.Points), num(ft.Transition()),
				num(ft.rise95()), num(ft.decade()), num(ft.A), num(ft.B), num(ft.RMSE), e})
		}
		if err := f.csv("fig9_fits.csv", rows); err != nil {
			return nil, err
		}
	}
	return append(r.fig9Rows(fits, on, name+".png"), r.fig9AudioRows(name+".png")...), nil
}

// freeSpikes is the mean hidden spikes per input of the unregularised
// runs of a Fig. 9 group, of their final weights on split on; NaN for
// none.
func (r results) freeSpikes(ds, conn string, layers int, on report.Split) float64 {
	rec := map[string]string{"FF": "false", "RC": "true"}[conn]
	sum, n := 0.0, 0
	for _, run := range r.Where("fig9-"+ds+"-free", "recurrent", rec) {
		if m, ok := run.Final(on); ok && len(run.Record.Settings.Hidden) == layers {
			sum += m.TotalSpikes()
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// randmanTransitionsDiffer says how the randman transitions differ from
// the paper's 36, 76 and 26 spikes: where all lie below, it gives what the
// fits show of why, the accuracy that stays at the fewest spikes.
func randmanTransitionsDiffer(a, b, c *spikeFit) string {
	if a == nil || b == nil || c == nil {
		return "a transition is off by more than a factor 2"
	}
	if a.Transition() < 18 && b.Transition() < 38 && c.Transition() < 13 {
		return fmt.Sprintf("ours need fewer spikes, every transition below half the paper's: with one hidden layer the fits' lower plateaus are "+
			"%.0f %% (FF) and %.0f %% (RC), not chance (10 %%), since a spike or two per input still picks a class; with two layers the curve starts at %.0f %% and rises at %.0f spikes",
			100*a.A, 100*c.A, 100*b.A, b.Transition())
	}
	return "a transition is off by more than a factor 2"
}

// fig9Rows judges the transitions the paper quotes.
func (r results) fig9Rows(fits []spikeFit, on report.Split, fig string) []Row {
	get := func(ds, conn string, layers int) *spikeFit {
		for i := range fits {
			f := &fits[i]
			if f.Dataset == ds && f.Connectivity == conn && f.Layers == layers && f.Err == nil {
				return f
			}
		}
		return nil
	}
	show := func(f *spikeFit) string {
		if f == nil {
			return "no fit"
		}
		return fmt.Sprintf("%.0f spikes (%.0f→%.0f %%, %d runs)", f.Transition(), 100*f.A, 100*f.B, f.Points)
	}
	within2 := func(f *spikeFit, want float64) bool {
		return f != nil && f.Transition() >= want/2 && f.Transition() <= 2*want
	}
	rs := []string{"fig9-randman", "fig9-randman-free"}
	a, b, c := get("randman", "FF", 1), get("randman", "FF", 2), get("randman", "RC", 1)
	rows := []Row{{Panel: "Fig. 9", Figure: fig,
		Finding: "randman: accuracy collapses below a critical number of hidden spikes per input",
		Paper:   "transition at ≈ 36 spikes (nh = 1, FF), ≈ 76 (nh = 2, FF), 26 (nh = 1, RC) (section 2.6, Fig. 9)",
		Ours:    "half-height of the sigmoid fitted to the networks as trained (final weights, " + string(on) + " split): nh = 1 FF " + show(a) + "; nh = 2 FF " + show(b) + "; nh = 1 RC " + show(c),
		Verdict: r.judge(verdict(within2(a, 36) && within2(b, 76) && within2(c, 26), "%s", randmanTransitionsDiffer(a, b, c)), rs...)}}
	if r.Plan.Batch("fig9-mnist") != nil {
		rise := func(nh int, f *spikeFit) string {
			return fmt.Sprintf("nh = %d FF: 95 %% of the rise at %.1f spikes, half-height %.1f (%.0f→%.0f %%)", nh, f.rise95(), f.Transition(), 100*f.A, 100*f.B)
		}
		m := get("mnist", "FF", 1)
		ours, ok := "no fit", false
		if m != nil {
			ours = rise(1, m)
			ok = m.rise95() <= 20
		}
		// The paper's claim is about its one-layer network; the second
		// layer is shown beside it.
		if m2 := get("mnist", "FF", 2); m2 != nil {
			ours += "; " + rise(2, m2)
		}
		rows = append(rows, Row{Panel: "Fig. 9", Figure: fig, Finding: "MNIST: 10 to 20 hidden spikes per input suffice",
			Paper: "fewer than 10 spikes reach the point of diminishing returns; 10–20 for high accuracy (section 2.6, Fig. 9)", Ours: ours,
			Verdict: r.judge(verdict(ok, "95 %% of the rise needs more than 20 spikes"), "fig9-mnist", "fig9-mnist-free")})
	}
	var spans []string
	wide, more, pairs := 0, 0, 0
	n := 0
	for _, f := range fits {
		if f.Err != nil {
			continue
		}
		n++
		spans = append(spans, fmt.Sprintf("%s %s nh = %d: ×%.1f", f.Dataset, f.Connectivity, f.Layers, f.decade()))
		if f.decade() > 10 {
			wide++
		}
		if f.Layers == 1 {
			if g := get(f.Dataset, f.Connectivity, 2); g != nil {
				pairs++
				if g.Transition() > f.Transition() {
					more++
				}
			}
		}
	}
	all := []string{}
	for _, b := range r.Plan.Batches {
		if strings.HasPrefix(b.Sweep, "fig9-") && b.Absent == "" {
			all = append(all, b.Sweep)
		}
	}
	// How far activity falls from the unregularised networks' before
	// accuracy declines: their spikes over the count at 95 % of the rise.
	var reductions []string
	far, judged := 0, 0
	for _, f := range fits {
		if f.Err != nil {
			continue
		}
		free := r.freeSpikes(f.Dataset, f.Connectivity, f.Layers, on)
		if math.IsNaN(free) {
			continue
		}
		judged++
		red := free / f.rise95()
		if red >= 30 {
			far++
		}
		reductions = append(reductions, fmt.Sprintf("%s %s nh = %d: %.0f → %.1f spikes (×%.1f)", f.Dataset, f.Connectivity, f.Layers, free, f.rise95(), red))
	}
	rows = append(rows, Row{Panel: "Fig. 9", Figure: fig,
		Finding: "activity can fall about two orders of magnitude below the unregularised networks' before accuracy declines",
		Paper:   "\"in most cases, the number of spikes could be reduced by approximately two orders of magnitude before there was a notable decline in performance\" (section 2.6, Fig. 9)",
		Ours:    "unregularised networks' spikes per input (final weights, " + string(on) + " split) against the count at 95 % of the fit's rise: " + strings.Join(reductions, ", "),
		Verdict: r.judge(verdict(judged > 0 && 2*far > judged, "a reduction of ×30 or more (1.5 decades) in %d of %d fits", far, judged), all...)})
	rows = append(rows,
		Row{Panel: "Fig. 9", Figure: fig, Finding: "the transition from chance to the best accuracy spans less than a decade of spike counts",
			Paper: "less than one order of magnitude in every case (section 2.6, Fig. 9)", Ours: "ratio of the spike counts at 90 % and 10 % of the rise: " + strings.Join(spans, ", "),
			Verdict: r.judge(verdict(n > 0 && wide == 0, "%d of %d fits span more than a decade", wide, n), all...)},
		Row{Panel: "Fig. 9", Figure: fig, Finding: "a second hidden layer needs more spikes for the same accuracy",
			Paper: "adding a hidden layer generally required more spikes (section 2.6, Fig. 9)", Ours: fmt.Sprintf("transition higher with nh = 2 in %d of %d data set × connectivity pairs", more, pairs),
			Verdict: r.judge(verdict(pairs > 0 && 2*more > pairs, "higher in %d of %d pairs", more, pairs), all...)})
	return rows
}

package findings

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/samples"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
	"github.com/spikegrad/spikegrad/report/raster"
	"github.com/spikegrad/spikegrad/run"
)

// fig8Runs picks the networks of Fig. 8 on randman (one feed-forward
// hidden layer) as trained, by their final weights, the weights whose
// activity Fig. 8 shows (as Fig. 9 does): the unregularised one best on
// validation at the end of training and, under the upper activity bound,
// the run with the fewest hidden spikes on validation at the end whose
// final validation accuracy is within 2 points of it (the one best at the
// end if none is). The choice reads the validation split only.
func (r results) fig8Runs() (free, reg *report.Run) {
	frees := r.Where("fig9-randman-free", "hidden", "100", "recurrent", "false")
	regs := r.Where("fig9-randman", "hidden", "100", "recurrent", "false")
	free, best := bestFinal(frees), bestFinal(regs)
	if free == nil || best == nil {
		return nil, nil
	}
	f, _ := free.Final(report.OnValidation)
	var fewest float64
	for i := range regs {
		m, ok := regs[i].Final(report.OnValidation)
		if !ok || m.Accuracy < f.Accuracy-0.02 {
			continue
		}
		if reg == nil || m.TotalSpikes() < fewest {
			reg, fewest = &regs[i], m.TotalSpikes()
		}
	}
	if reg == nil {
		reg = best
	}
	return free, reg
}

// bestFinal returns the run whose final weights do best on validation,
// the first of equals; nil for none.
func bestFinal(runs []report.Run) *report.Run {
	var best *report.Run
	var acc float64
	for i := range runs {
		if m, ok := runs[i].Final(report.OnValidation); ok && (best == nil || m.Accuracy > acc) {
			best, acc = &runs[i], m.Accuracy
		}
	}
	return best
}

// finalMeasure is what Fig. 8 reads of a network's final weights on the
// test split.
type finalMeasure struct {
	acc, spikes float64 // test accuracy, hidden spikes per input
	maxCount    float64 // the busiest neuron's most spikes in a trial
}

// finalOf returns the measure of run's final weights on test: its
// record's final_test, or for a record made before that was kept, what
// evaluating its last.npz measured (a, nil if that failed); false when
// neither is there.
func finalOf(run *report.Run, a *samples.Activity) (finalMeasure, bool) {
	if m, ok := run.Final(report.OnTest); ok && len(run.Record.FinalActivity) > 0 {
		return finalMeasure{m.Accuracy, m.TotalSpikes(), run.Record.FinalActivity[0].MaxCount}, true
	}
	if a != nil && len(a.Layers) > 0 {
		return finalMeasure{a.Test.Accuracy, a.Test.TotalSpikes(), a.Layers[0].MaxCount}, true
	}
	return finalMeasure{}, false
}

// fig8: activity of a trained network without and with the upper activity
// bound, and the distribution of per-neuron spike counts per trial, all of
// the final weights (last.npz) on the test split.
func (r results) fig8(ctx context.Context, f *figures) ([]Row, []string, error) {
	row := Row{Panel: "Fig. 8", Figure: "fig8c_spike_counts.png",
		Finding: "without regularisation some hidden neurons fire at the maximal rate; the upper bound makes activity sparse and keeps the output",
		Paper:   "unregularised: neurons \"frequently\" emit the maximal 500 spikes per trial (500 Hz, SHD); regularised: far fewer high counts, same winning output (section 2.6, Fig. 8a–d)"}
	free, reg := r.fig8Runs()
	if free == nil {
		row.Ours, row.Verdict = "no runs", r.judge("", "fig9-randman", "fig9-randman-free")
		return []Row{row}, nil, nil
	}
	var keep []string
	cases := []struct {
		run   *report.Run
		label string
		file  string
		a     *samples.Activity
	}{{run: free, label: "unregularised", file: "fig8a_unregularised.png"}, {run: reg, label: "upper bound", file: "fig8b_regularised.png"}}
	for i := range cases {
		c := &cases[i]
		ck := paper.LastWeights(r.Out, *c.run)
		if ck == "" {
			f.skip(c.file, fmt.Errorf("%s: no %s in its folder nor a verified rerun's (cmd/reproduce makes it again unless --report-only)", filepath.Dir(c.run.Path), run.LastFile))
			continue
		}
		a, err := activity(ctx, ck, f.path(c.file))
		if err != nil {
			f.skip(c.file, err)
			continue
		}
		f.done(c.file)
		keep = append(keep, ck)
		c.a = a
	}
	mFree, okFree := finalOf(free, cases[0].a)
	mReg, okReg := finalOf(reg, cases[1].a)
	if !okFree || !okReg {
		row.Ours = "records without the final weights' test metrics (final_test, kept since issue 28) and no last.npz to measure them on"
		row.Verdict = r.judge("not judged", "fig9-randman", "fig9-randman-free")
		return []Row{row}, keep, nil
	}
	most := maxSpikes(free.Record.Data.Steps)
	row.Ours = fmt.Sprintf("randman, one hidden layer of 100 (T = %d steps, at most %d spikes per neuron and trial), final weights on the test split: "+
		"unregularised max %.0f spikes per neuron and trial, %.1f per input, test %s; upper bound ν = %s: max %.0f, %.1f per input, test %s",
		free.Record.Data.Steps, most, mFree.maxCount, mFree.spikes, pct(mFree.acc), mustSetting(reg, "reg-upper-threshold"), mReg.maxCount, mReg.spikes, pct(mReg.acc))
	row.Verdict = r.judge(fig8Verdict(most, mFree, mReg), "fig9-randman", "fig9-randman-free")
	if cases[0].a != nil && cases[1].a != nil {
		var groups []chart.CountGroup
		for i, m := range []finalMeasure{mFree, mReg} {
			groups = append(groups, chart.CountGroup{Label: fmt.Sprintf("%s, %.0f spikes/input, test %s", cases[i].label, m.spikes, pct(m.acc)), Counts: cases[i].a.Counts})
		}
		const name = "fig8c_spike_counts"
		bins, err := chart.DrawCounts(f.path(name+".png"), "Fig. 8c–d: spikes per hidden neuron and test trial, final weights", groups)
		if err != nil {
			f.skip(name+".png", err)
		} else {
			f.done(name + ".png")
			rows := [][]string{{"group", "bin_from", "bin_to", "fraction"}}
			for g, fr := range bins.Fraction {
				for k, v := range fr {
					rows = append(rows, []string{groups[g].Label, num(float64(k) * bins.Width), num(float64(k+1) * bins.Width), num(v)})
				}
			}
			if err := f.csv(name+".csv", rows); err != nil {
				return nil, nil, err
			}
		}
	}
	return []Row{row}, keep, nil
}

// maxSpikes is the most spikes a hidden neuron can emit in a trial of
// steps time steps under the model of docs/conventions.md: a spike at
// step n resets U[n+1] to 0, below threshold, so the next can come at
// n+2 at the earliest, and an input reaches U two steps after it
// arrives, so the first spike comes at step 2.
func maxSpikes(steps int) int { return max(0, (steps-1)/2) }

// fig8Verdict judges both halves of Fig. 8's finding on the final
// weights: without regularisation some neuron fires at (≥ 80 % of) the
// maximal count per trial; with the upper bound the network is sparser,
// in its busiest neuron and per input, at a test accuracy within 2
// points.
func fig8Verdict(most int, free, reg finalMeasure) string {
	busy := most > 0 && free.maxCount >= 0.8*float64(most)
	sparse := reg.maxCount < free.maxCount && reg.spikes < free.spikes && reg.acc >= free.acc-0.02
	var why []string
	if !busy {
		why = append(why, fmt.Sprintf("the unregularised network's busiest neuron fires %.0f spikes in a trial, of %d possible (%.0f %%): "+
			"it stays far from the maximal rate that the paper's SHD network reaches (500 of 500)", free.maxCount, most, 100*free.maxCount/float64(most)))
	}
	if !sparse {
		why = append(why, "the regularised network is not sparser at a test accuracy within 2 points")
	} else if !busy {
		why = append(why, fmt.Sprintf("the other half holds: the upper bound makes it sparser (busiest neuron %.0f → %.0f, %.0f → %.0f spikes per input) at a test accuracy within 2 points",
			free.maxCount, reg.maxCount, free.spikes, reg.spikes))
	}
	return verdict(busy && sparse, "%s", join(why...))
}

func mustSetting(r *report.Run, key string) string {
	v, _ := r.Setting(key)
	return v
}

// activity evaluates checkpoint ck on its test split and draws the
// snapshot of four samples into png.
func activity(ctx context.Context, ck, png string) (*samples.Activity, error) {
	a, err := samples.Evaluate(ctx, ck)
	if err != nil {
		return nil, err
	}
	return a, report.Snapshot(png, a.Snapshots, raster.SnapshotOptions{DT: a.DT, Samples: len(a.Snapshots)})
}

// EnsureWeights retrains, as paper.VerifyRun does, the runs whose
// last.npz Fig. 8 draws and whose weights are not on disk (a fresh clone
// of committed records), and checks that each gives its recorded numbers
// bit for bit: weights made again are used only if they are the
// recorded run's. It returns the checks made; a rerun that differs is an
// error.
func EnsureWeights(ctx context.Context, r *paper.Results, progress func(paper.Check)) ([]paper.Check, error) {
	free, reg := results{r}.fig8Runs()
	var checks []paper.Check
	for _, rn := range []*report.Run{free, reg} {
		if rn == nil || paper.LastWeights(r.Out, *rn) != "" {
			continue
		}
		sweep := filepath.Base(filepath.Dir(filepath.Dir(rn.Path)))
		c, err := paper.VerifyRun(ctx, r.Out, sweep, *rn)
		if err != nil {
			return checks, fmt.Errorf("the weights of %s for Fig. 8: %w", filepath.Dir(rn.Path), err)
		}
		checks = append(checks, c)
		if progress != nil {
			progress(c)
		}
		if !c.Identical {
			return checks, fmt.Errorf("the weights of %s for Fig. 8: the rerun differs from the record: %s", filepath.Dir(rn.Path), c.Diff)
		}
	}
	return checks, nil
}

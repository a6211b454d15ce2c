package findings

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spikegrad/spikegrad/paper/samples"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
	"github.com/spikegrad/spikegrad/report/raster"
	"github.com/spikegrad/spikegrad/run"
)

// fig8Runs picks the networks of Fig. 8 on randman (one feed-forward
// hidden layer): the unregularised one best on validation and, under the
// upper activity bound, the run with the fewest hidden spikes on
// validation whose validation accuracy is within 2 points of it (the run
// best on validation if none is). The choice reads the validation split
// only.
func (r results) fig8Runs() (free, reg *report.Run) {
	frees := r.Where("fig9-randman-free", "hidden", "100", "recurrent", "false")
	regs := r.Where("fig9-randman", "hidden", "100", "recurrent", "false")
	if len(frees) == 0 || len(regs) == 0 {
		return nil, nil
	}
	free = &TopRuns(frees, 1)[0]
	for i := range regs {
		c := &regs[i]
		if c.Validation() < free.Validation()-0.02 {
			continue
		}
		if reg == nil || c.ValidationSpikes() < reg.ValidationSpikes() {
			reg = c
		}
	}
	if reg == nil {
		reg = &TopRuns(regs, 1)[0]
	}
	return free, reg
}

// fig8: activity of a trained network without and with the upper activity
// bound, and the distribution of per-neuron spike counts per trial.
func (r results) fig8(ctx context.Context, f *figures) ([]Row, []string, error) {
	row := Row{Panel: "Fig. 8", Figure: "fig8c_spike_counts.png",
		Finding: "without regularisation some hidden neurons fire at the maximal rate; the upper bound makes activity sparse and keeps the output",
		Paper:   "unregularised: neurons \"frequently\" emit the maximal 500 spikes per trial (500 Hz, SHD); regularised: far fewer high counts, same winning output (section 2.6, Fig. 8a–d)"}
	free, reg := r.fig8Runs()
	if free == nil {
		row.Ours, row.Verdict = "no runs", r.judge("", "fig9-randman", "fig9-randman-free")
		return []Row{row}, nil, nil
	}
	var groups []chart.CountGroup
	var keep []string
	for _, c := range []struct {
		run   *report.Run
		label string
		file  string
	}{{free, "unregularised", "fig8a_unregularised.png"}, {reg, "upper bound", "fig8b_regularised.png"}} {
		ck := filepath.Join(filepath.Dir(c.run.Path), run.BestFile)
		counts, err := activity(ctx, ck, f.path(c.file))
		if err != nil {
			f.skip(c.file, err)
			continue
		}
		f.done(c.file)
		keep = append(keep, ck)
		groups = append(groups, chart.CountGroup{Label: fmt.Sprintf("%s, %.0f spikes/input, test %s", c.label, c.run.Spikes(), pct(c.run.Test())), Counts: counts})
	}
	if len(free.Record.Activity) == 0 || len(reg.Record.Activity) == 0 {
		row.Ours, row.Verdict = "records without test activity", "not judged"
		return []Row{row}, keep, nil
	}
	mx := []float64{free.Record.Activity[0].MaxCount, reg.Record.Activity[0].MaxCount}
	most := maxSpikes(free.Record.Data.Steps)
	row.Ours = fmt.Sprintf("randman, one hidden layer of 100 (T = %d steps, at most %d spikes per neuron and trial): unregularised max %.0f spikes per neuron and trial, %.1f per input, test %s; "+
		"upper bound ν = %s: max %.0f, %.1f per input, test %s",
		free.Record.Data.Steps, most, mx[0], free.Spikes(), pct(free.Test()), mustSetting(reg, "reg-upper-threshold"), mx[1], reg.Spikes(), pct(reg.Test()))
	row.Verdict = r.judge(fig8Verdict(mx[0], mx[1], most, free, reg), "fig9-randman", "fig9-randman-free")
	if len(groups) == 2 {
		const name = "fig8c_spike_counts"
		bins, err := chart.DrawCounts(f.path(name+".png"), "Fig. 8c–d: spikes per hidden neuron and test trial", groups)
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

// fig8Verdict judges both halves of Fig. 8's finding: without
// regularisation some neuron fires at (≥ 80 % of) the maximal count per
// trial; with the upper bound the network is sparser, in its busiest
// neuron and per input, at a test accuracy within 2 points.
func fig8Verdict(maxFree, maxReg float64, most int, free, reg *report.Run) string {
	busy := most > 0 && maxFree >= 0.8*float64(most)
	sparse := maxReg < maxFree && reg.Spikes() < free.Spikes() && reg.Test() >= free.Test()-0.02
	var why []string
	if !busy {
		why = append(why, fmt.Sprintf("the unregularised network's busiest neuron fires %.0f spikes in a trial, of %d possible (%.0f %%): "+
			"it stays far from the maximal rate that the paper's SHD network reaches (500 of 500)", maxFree, most, 100*maxFree/float64(most)))
	}
	if !sparse {
		why = append(why, "the regularised network is not sparser at a test accuracy within 2 points")
	} else if !busy {
		why = append(why, fmt.Sprintf("the other half holds: the upper bound makes it sparser (busiest neuron %.0f → %.0f, %.0f → %.0f spikes per input) at a test accuracy within 2 points",
			maxFree, maxReg, free.Spikes(), reg.Spikes()))
	}
	return verdict(busy && sparse, "%s", join(why...))
}

func mustSetting(r *report.Run, key string) string {
	v, _ := r.Setting(key)
	return v
}

// activity evaluates checkpoint ck on its test split, draws the snapshot
// of four samples into png and returns every hidden neuron's spike count
// in every trial (first hidden layer).
func activity(ctx context.Context, ck, png string) ([]float64, error) {
	a, err := samples.Evaluate(ctx, ck)
	if err != nil {
		return nil, err
	}
	return a.Counts, report.Snapshot(png, a.Snapshots, raster.SnapshotOptions{DT: a.DT, Samples: len(a.Snapshots)})
}

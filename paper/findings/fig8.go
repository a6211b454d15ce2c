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
		Paper:   "unregularised: up to 500 spikes per neuron and trial (500 Hz, SHD); regularised: far fewer high counts, same winning output"}
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
	row.Ours = fmt.Sprintf("randman, one hidden layer of 100 (T = %d steps): unregularised max %.0f spikes per neuron and trial, %.1f per input, test %s; "+
		"upper bound ν = %s: max %.0f, %.1f per input, test %s",
		free.Record.Data.Steps, mx[0], free.Spikes(), pct(free.Test()), mustSetting(reg, "reg-upper-threshold"), mx[1], reg.Spikes(), pct(reg.Test()))
	row.Verdict = r.judge(verdict(mx[1] < mx[0] && reg.Spikes() < free.Spikes() && reg.Test() >= free.Test()-0.02,
		"the regularised network is not sparser at a test accuracy within 2 points"), "fig9-randman", "fig9-randman-free")
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

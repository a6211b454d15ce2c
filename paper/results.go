package paper

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// Results are the completed runs of a plan, sweep by sweep.
type Results struct {
	Plan *Plan
	Out  string
	// Runs holds, per sweep, the completed runs with test metrics whose
	// folder is one of the plan's runs; records of other runs in the
	// folder (from an edited preset, say) are ignored.
	Runs map[string][]report.Run
	// Other counts, per sweep, the planned runs without a completed
	// record: running, interrupted, failed or not started.
	Other map[string]int
	// Unreadable lists the record files that could not be read.
	Unreadable []error
}

// Load reads the records of the plan's runs under out/runs.
func Load(p *Plan, out string) (*Results, error) {
	r := &Results{Plan: p, Out: out, Runs: map[string][]report.Run{}, Other: map[string]int{}}
	for _, b := range p.Batches {
		planned := map[string]bool{}
		for _, j := range b.Jobs {
			planned[j.Name] = true
		}
		dir := filepath.Join(out, RunsDir, b.Sweep)
		if found, _ := filepath.Glob(filepath.Join(dir, "*", run.RecordFile)); len(found) == 0 {
			r.Other[b.Sweep] = len(b.Jobs)
			continue
		}
		set, err := report.Load(dir)
		if err != nil {
			return nil, fmt.Errorf("sweep %s: %w", b.Sweep, err)
		}
		r.Unreadable = append(r.Unreadable, set.Skipped...)
		for _, rn := range set.Runs {
			if planned[filepath.Base(filepath.Dir(rn.Path))] {
				r.Runs[b.Sweep] = append(r.Runs[b.Sweep], rn)
			}
		}
		r.Other[b.Sweep] = len(b.Jobs) - len(r.Runs[b.Sweep])
	}
	return r, nil
}

// Done reports how many of the planned runs of the sweeps are complete,
// and how many were planned (runs of data sets left out count as
// planned).
func (r *Results) Done(sweeps ...string) (done, planned int) {
	for _, s := range sweeps {
		if b := r.Plan.Batch(s); b != nil {
			planned += len(b.Jobs)
			done += len(r.Runs[s])
		}
	}
	return done, planned
}

// Absent returns why a sweep was left out, or "".
func (r *Results) Absent(sweep string) string {
	if b := r.Plan.Batch(sweep); b != nil {
		return b.Absent
	}
	return "not in this scale's preset"
}

// Where returns the runs of a sweep whose settings have the given values,
// as flag text, in pairs: Where("fig5-reset", "surrogate", "asymptotic",
// "diff-reset", "true").
func (r *Results) Where(sweep string, kv ...string) []report.Run {
	var out []report.Run
next:
	for _, rn := range r.Runs[sweep] {
		for i := 0; i+1 < len(kv); i += 2 {
			if v, err := rn.Setting(kv[i]); err != nil || v != kv[i+1] {
				continue next
			}
		}
		out = append(out, rn)
	}
	return out
}

// Selected is the number of runs kept of a configuration of n runs whose
// panel the paper reports as top k: k, but at most half the runs (and at
// least one), so that the selection on validation leaves runs out, as a
// selection must. Grids smaller than the paper's give a smaller k, which
// the reports state ("top 6 of 12").
func Selected(k, n int) int { return max(1, min(k, n/2)) }

// Top summarises the best runs on validation, Selected(k, len(runs)) of
// them: test mean ± std. With no runs, N is 0 and the means are NaN.
func Top(runs []report.Run, k int) report.Summary {
	if len(runs) == 0 {
		return report.Summary{TestMean: math.NaN(), TestStd: math.NaN(), ValidationMean: math.NaN(), SpikesMean: math.NaN()}
	}
	g, err := report.GroupBy(runs, nil, Selected(k, len(runs)))
	if err != nil {
		panic(err) // runs is not empty and k ≥ 1
	}
	return g[0].Summary
}

// TopRuns returns the best runs on validation, Selected(k, len(runs)) of
// them.
func TopRuns(runs []report.Run, k int) []report.Run {
	if len(runs) == 0 {
		return nil
	}
	g, _ := report.GroupBy(runs, nil, Selected(k, len(runs)))
	return g[0].Top()
}

// Best returns the best test accuracy of runs, NaN for none.
func Best(runs []report.Run) float64 {
	b := math.NaN()
	for _, r := range runs {
		if math.IsNaN(b) || r.Test() > b {
			b = r.Test()
		}
	}
	return b
}

package paper

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// Results are the completed runs of a plan, sweep by sweep.
type Results struct {
	Plan *Plan
	Out  string
	// Runs holds, per sweep, the completed runs with test metrics whose
	// folder is one of the plan's runs; records of other runs in the
	// folder (from an edited preset, say) are ignored. A planned run
	// recorded only by an earlier version of the arithmetic (run.Numerics)
	// is found in the folder named for its ID then, and counted in Older.
	Runs map[string][]report.Run
	// Older counts, per sweep, the runs in Runs made by an earlier version
	// of the arithmetic than this build's: retraining them (cmd/reproduce)
	// gives other numbers.
	Older map[string]int
	// Other counts, per sweep, the planned runs without a completed
	// record: running, interrupted, failed or not started.
	Other map[string]int
	// Unreadable lists the record files that could not be read.
	Unreadable []error
}

// Load reads the records of the plan's runs under out/runs.
func Load(p *Plan, out string) (*Results, error) {
	r := &Results{Plan: p, Out: out, Runs: map[string][]report.Run{}, Other: map[string]int{}, Older: map[string]int{}}
	for _, b := range p.Batches {
		// Each planned run under its name now, and under the names its
		// ID gave it in earlier versions of the arithmetic.
		planned := map[string]int{} // folder name → version
		for _, j := range b.Jobs {
			planned[j.Name] = run.Numerics
			slug := strings.TrimSuffix(j.Name, j.ID[:12])
			for v := 1; v < run.Numerics; v++ {
				planned[slug+j.Settings.IDAt(v)[:12]] = v
			}
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
		// The newest version of a run that has records of several.
		best := map[string]report.Run{}
		version := map[string]int{}
		for _, rn := range set.Runs {
			v, ok := planned[filepath.Base(filepath.Dir(rn.Path))]
			if !ok || max(rn.Record.Numerics, 1) != v {
				continue
			}
			id := rn.Record.Settings.ID()
			if v > version[id] {
				best[id], version[id] = rn, v
			}
		}
		for _, j := range b.Jobs {
			if rn, ok := best[j.ID]; ok {
				r.Runs[b.Sweep] = append(r.Runs[b.Sweep], rn)
				if version[j.ID] < run.Numerics {
					r.Older[b.Sweep]++
				}
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

package paper

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// VerifyDir is the folder under a reproduction's output where Verify
// retrains runs.
const VerifyDir = "verify"

// Check is the outcome of retraining one recorded run.
type Check struct {
	Sweep, Run string
	Threads    int    // the thread count of the rerun (GOMAXPROCS)
	Identical  bool   // test metrics and training history equal bit for bit
	Diff       string // what differs, when not identical
}

// Verify retrains n completed runs of r, spread evenly over the runs in
// path order, from their recorded settings, into out/verify/<run>, and
// reports whether each gives its record's test metrics and training
// history bit for bit. The numbers of a run do not depend on the thread
// count, so the reruns take the cores there are; a record made by
// another version of the arithmetic (run.Numerics) is an error: no rerun
// with this build gives its numbers. progress, if
// set, sees each check as it is done. The error is that of a run that
// could not be retrained; differences are checks, not errors.
func Verify(ctx context.Context, r *Results, n int, progress func(Check)) ([]Check, error) {
	var all []struct {
		sweep string
		run   report.Run
	}
	for sw, runs := range r.Runs {
		for _, rn := range runs {
			all = append(all, struct {
				sweep string
				run   report.Run
			}{sw, rn})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].run.Path < all[j].run.Path })
	if n > len(all) {
		n = len(all)
	}
	var checks []Check
	for k := 0; k < n && ctx.Err() == nil; k++ {
		pick := all[k*len(all)/n]
		c, err := VerifyRun(ctx, r.Out, pick.sweep, pick.run)
		if err != nil {
			return checks, fmt.Errorf("verify %s: %w", pick.run.Path, err)
		}
		checks = append(checks, c)
		if progress != nil {
			progress(c)
		}
	}
	return checks, ctx.Err()
}

// VerifyRun retrains one completed run rn of sweep from its recorded
// settings into out/verify/<run> and reports whether it gives the
// record's numbers bit for bit (see Verify).
func VerifyRun(ctx context.Context, out, sweep string, rn report.Run) (Check, error) {
	rec := rn.Record
	dir := filepath.Dir(rn.Path)
	c := Check{Sweep: sweep, Run: filepath.Base(dir), Threads: runtime.GOMAXPROCS(0)}
	if v := max(rec.Numerics, 1); v != run.Numerics {
		return c, fmt.Errorf("recorded with version %d of the arithmetic; this build computes version %d (regenerate the records)", v, run.Numerics)
	}
	s := rec.Settings
	// The runs of a plan start from scratch; one stopped and continued
	// exactly computes the uninterrupted run, though records written
	// before runner kept such settings clean still name the checkpoint.
	if s.Resume != "" {
		for _, r := range rec.Resumes {
			if !r.Exact {
				return c, fmt.Errorf("continued from %s without the optimiser's state: no rerun from scratch gives its numbers", r.From)
			}
			if r.Numerics != 0 {
				return c, fmt.Errorf("continued from %s, made with version %d of the arithmetic: no rerun from scratch gives its numbers", r.From, r.Numerics)
			}
		}
		s.Resume = ""
	}
	// Everything the rerun writes goes under out/verify: no feature cache
	// in a folder the record names (the cache changes no number).
	s.Out, s.Name = filepath.Join(out, VerifyDir), c.Run
	s.CacheDir, s.NoCache = "", true
	if err := os.RemoveAll(filepath.Join(s.Out, s.Name)); err != nil {
		return c, err
	}
	again, _, err := runner.Execute(ctx, &s, runner.Hooks{})
	if err != nil {
		return c, err
	}
	if len(again.Resumes) > 0 {
		return c, fmt.Errorf("the rerun continued %s instead of training from scratch", again.Resumes[0].From)
	}
	c.Identical, c.Diff = again.SameNumbers(rec)
	return c, nil
}

// LastWeights returns the path of run rn's last.npz: in its folder, or
// else in out/verify/<run> where VerifyRun retrained it; "" for neither.
// Records are committed and checkpoints are not, so a fresh clone has a
// figure's weights only once a verified rerun has made them again.
func LastWeights(out string, rn report.Run) string {
	dir := filepath.Dir(rn.Path)
	for _, p := range []string{filepath.Join(dir, run.LastFile), filepath.Join(out, VerifyDir, filepath.Base(dir), run.LastFile)} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

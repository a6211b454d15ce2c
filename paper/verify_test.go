package paper

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// TestVerifyRetrainsRecordsBitForBit: the runs of a reproduction, one of
// them stopped and continued (its record naming its last.npz, as records
// written before runner kept such settings clean do), are retrained under
// out/verify and found identical; a record whose numbers were altered is
// found to differ, and says where.
func TestVerifyRetrainsRecordsBitForBit(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: retrains records: 7 s")
	}
	p, b := nh0Plan(t, 2)
	out := t.TempDir()
	// The first run is stopped after one epoch, then Execute continues it.
	s := b.Jobs[0].Settings
	s.Out, s.Name = filepath.Join(out, RunsDir, b.Sweep), b.Jobs[0].Name
	ctx, cancel := context.WithCancel(context.Background())
	if _, _, err := runner.Execute(ctx, &s, runner.Hooks{Epoch: func(metrics.Epoch) { cancel() }}); err == nil {
		t.Fatal("the first run was not stopped")
	}
	if err := Execute(context.Background(), p, out, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	continued := filepath.Join(out, RunsDir, b.Sweep, b.Jobs[0].Name, run.RecordFile)
	rec, err := run.LoadRecord(continued)
	if err != nil || len(rec.Resumes) != 1 {
		t.Fatalf("continued run: %v, %+v", err, rec)
	}
	rec.Settings.Resume = filepath.Join(filepath.Dir(continued), run.LastFile) // as older records have it
	if err := rec.Save(continued); err != nil {
		t.Fatal(err)
	}

	verify := func() []Check {
		t.Helper()
		r, err := Load(p, out)
		if err != nil {
			t.Fatal(err)
		}
		checks, err := Verify(context.Background(), r, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) != 2 {
			t.Fatalf("%d checks of 2 runs", len(checks))
		}
		return checks
	}
	for _, c := range verify() {
		if !c.Identical {
			t.Errorf("%s: %s", c.Run, c.Diff)
		}
	}
	// The rerun writes under verify/ only: no feature cache elsewhere,
	// whatever the record's settings say.
	rerun, err := run.LoadRecord(filepath.Join(out, VerifyDir, b.Jobs[1].Name, run.RecordFile))
	if err != nil {
		t.Errorf("the rerun is not under verify/: %v", err)
	} else if !rerun.Settings.NoCache || rerun.Settings.CacheDir != "" {
		t.Errorf("the rerun may write a feature cache: no-cache %v, cache-dir %q", rerun.Settings.NoCache, rerun.Settings.CacheDir)
	}

	// Alter the second run's recorded test loss.
	second := filepath.Join(out, RunsDir, b.Sweep, b.Jobs[1].Name, run.RecordFile)
	raw, _ := os.ReadFile(second)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["test"].(map[string]any)["loss"] = 0.5
	raw, _ = json.Marshal(m)
	if err := os.WriteFile(second, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, c := range verify() {
		if c.Run == b.Jobs[1].Name {
			found = true
			if c.Identical || !strings.Contains(c.Diff, "loss 0.5") {
				t.Errorf("altered record: identical %v, %q", c.Identical, c.Diff)
			}
		} else if !c.Identical {
			t.Errorf("%s: %s", c.Run, c.Diff)
		}
	}
	if !found {
		t.Error("the altered run was not checked")
	}
}

// TestVerifyRefusesOtherArithmetic: a record made by another version of
// the arithmetic is not rerun as if this build could give its numbers;
// the error says which versions.
func TestVerifyRefusesOtherArithmetic(t *testing.T) {
	p, b := nh0Plan(t, 1)
	out := t.TempDir()
	if err := Execute(context.Background(), p, out, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(out, RunsDir, b.Sweep, b.Jobs[0].Name, run.RecordFile)
	rec, err := run.LoadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Numerics != run.Numerics {
		t.Errorf("record of numerics %d, this build computes %d", rec.Numerics, run.Numerics)
	}
	// As a record of version 1 lies: no numerics key, in the folder
	// named for its ID then.
	rec.Numerics, rec.ID = 0, rec.Settings.IDAt(1)
	if err := rec.Save(path); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	old := strings.TrimSuffix(dir, b.Jobs[0].ID[:12]) + rec.ID[:12]
	if err := os.Rename(dir, old); err != nil {
		t.Fatal(err)
	}
	r, err := Load(p, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Runs[b.Sweep]) != 1 || r.Older[b.Sweep] != 1 {
		t.Fatalf("found %d runs, %d of them older; want the one of version 1", len(r.Runs[b.Sweep]), r.Older[b.Sweep])
	}
	if _, err := Verify(context.Background(), r, 1, nil); err == nil || !strings.Contains(err.Error(), "version 1 of the arithmetic") {
		t.Errorf("a record of version 1: %v, want an error naming the version", err)
	}
}

// A run stopped on one thread and continued by a worker with two reruns
// identically on three: its numbers never depended on the cores.
func TestVerifyContinuedOnAnotherThreadCount(t *testing.T) {
	p, b := nh0Plan(t, 1)
	out := t.TempDir()
	s := b.Jobs[0].Settings
	s.Out, s.Name = filepath.Join(out, RunsDir, b.Sweep), b.Jobs[0].Name
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ctx, cancel := context.WithCancel(context.Background())
	if _, _, err := runner.Execute(ctx, &s, runner.Hooks{Epoch: func(metrics.Epoch) { cancel() }}); err == nil {
		t.Fatal("the run was not stopped")
	}
	runtime.GOMAXPROCS(2)
	if err := Execute(context.Background(), p, out, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	rec, err := run.LoadRecord(filepath.Join(s.Out, s.Name, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Software.GOMAXPROCS != 2 || len(rec.Resumes) != 1 || rec.Resumes[0].GOMAXPROCS != 2 {
		t.Errorf("record: gomaxprocs %d, resumes %+v; want a run continued at 2 threads", rec.Software.GOMAXPROCS, rec.Resumes)
	}
	r, err := Load(p, out)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(3)
	checks, err := Verify(context.Background(), r, 1, nil)
	if err != nil || len(checks) != 1 {
		t.Fatalf("verify: %v, %d checks", err, len(checks))
	}
	if c := checks[0]; !c.Identical || c.Threads != 3 {
		t.Errorf("verify: identical %v at %d threads (%s)", c.Identical, c.Threads, c.Diff)
	}
}

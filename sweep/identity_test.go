package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/sweep"
)

// Item 6 of issue 13: a sweep named ".." wrote its run into the parent of
// --out; values /a/b, /a+b and /a b shared one folder; two unnamed sweeps
// with different bases planned 2 runs instead of 4. (Where the data lie is
// not part of a run's identity, so each data-dir comes with its own seed.)
func TestRunNamesAreSafeAndUnique(t *testing.T) {
	sweeps, err := sweep.ParseSweeps([]byte(`
sweeps:
  - name: ".."
    grid: {seed: [1]}
  - name: "../../etc"
    grid: {seed: [2]}
  - name: "a/b"
    variants:
      - {data-dir: "/a/b", seed: 3}
      - {data-dir: "/a+b", seed: 4}
      - {data-dir: "/a b", seed: 5}
      - {data-dir: "..", seed: 6}
      - {data-dir: ".", seed: 7}
  - base: {epochs: 3}
    grid: {seed: [1, 2]}
  - base: {epochs: 4}
    grid: {seed: [1, 2]}
`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1+1+5+4 {
		t.Fatalf("%d runs, want 11", len(jobs))
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		if !filepath.IsLocal(j.Name) || strings.ContainsAny(j.Name, `/\ `) || strings.HasPrefix(j.Name, ".") || seen[j.Name] {
			t.Errorf("run folder name %q is unsafe or not unique", j.Name)
		}
		seen[j.Name] = true
	}
}

// Item 7: a grid of 10⁹ runs (three lists of 1000) allocated about 10 GB
// and died, even with --dry-run. Grids are counted before they are
// expanded.
func TestHugeGridIsRefusedBeforeExpansion(t *testing.T) {
	axis := func(key string) sweep.Axis {
		a := sweep.Axis{Key: key}
		for i := 1; i <= 1000; i++ {
			a.Values = append(a.Values, strings.Repeat("1", 1)+string(rune('0'+i%10)))
		}
		return a
	}
	sw := []sweep.Sweep{{Name: "big", Grid: []sweep.Axis{axis("seed"), axis("data-seed"), axis("epochs")}}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := sweep.Jobs(run.DefaultSettings("randman"), sw)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "1000000000 runs") || !strings.Contains(err.Error(), "1000 seed × 1000 data-seed × 1000 epochs") {
		t.Fatalf("want an error naming the count, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("allocated %d bytes", grew)
	}
	if n, _ := sweep.Count([]sweep.Sweep{sw[0], sw[0], sw[0]}); n != 3e9 {
		t.Errorf("count %d", n)
	}
}

// Item 5: a rerun with changed base settings reported the old runs as
// "already completed"; a completed run whose checkpoints were deleted was
// skipped. A run is its settings: a changed base is a new run; a run is
// done only with its record and both checkpoints.
func TestChangedBaseIsANewRun(t *testing.T) {
	_, sweeps, err := sweep.Preset("smoke")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	pass := func(epochs string) (ran, skipped int) {
		sw := append([]sweep.Sweep(nil), sweeps...)
		sw[0].Base = append(append([]sweep.Assignment(nil), sw[0].Base...), sweep.Assignment{Key: "epochs", Value: epochs})
		sw[0].Grid = sw[0].Grid[:1] // the surrogates, seed 1
		jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sw)
		if err != nil {
			t.Fatal(err)
		}
		err = sweep.Execute(context.Background(), jobs, out, 2, nil, func(o sweep.Outcome) {
			switch {
			case o.Err != nil:
				t.Error(o.Err)
			case o.Skipped:
				skipped++
			default:
				ran++
				if len(o.Record.History) != int(epochs[0]-'0') {
					t.Errorf("%s: %d epochs, want %s", o.Job.Name, len(o.Record.History), epochs)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if ran, _ := pass("1"); ran != 2 {
		t.Fatalf("first pass ran %d", ran)
	}
	if ran, skipped := pass("2"); ran != 2 || skipped != 0 {
		t.Errorf("changed base: ran %d, skipped %d; want 2 new runs", ran, skipped)
	}
	if ran, skipped := pass("1"); ran != 0 || skipped != 2 {
		t.Errorf("the first base again: ran %d, skipped %d", ran, skipped)
	}
	// Delete the checkpoints of one completed run: it is trained again.
	entries, _ := os.ReadDir(out)
	var victim string
	for _, e := range entries {
		if r, err := run.LoadRecord(filepath.Join(out, e.Name(), run.RecordFile)); err == nil && len(r.History) == 1 {
			victim = e.Name()
			break
		}
	}
	os.Remove(filepath.Join(out, victim, run.BestFile))
	os.Remove(filepath.Join(out, victim, run.LastFile))
	if ran, skipped := pass("1"); ran != 1 || skipped != 1 {
		t.Errorf("after deleting the checkpoints of %s: ran %d, skipped %d", victim, ran, skipped)
	}
	if !run.Completed(filepath.Join(out, victim)) {
		t.Errorf("%s is not completed again", victim)
	}
	// The record of the run whose checkpoints were deleted is kept aside.
	if _, err := os.Stat(filepath.Join(out, victim, run.RecordFile+".replaced")); err != nil {
		t.Errorf("the earlier record of %s is lost: %v", victim, err)
	}
}

// Item 5: two sweeps on one folder at once trained every run twice, and
// with different settings one run folder ended with the record of one and
// the settings of the other. Workers now claim runs: the same sweep twice
// trains each run once, different sweeps keep different folders.
func TestTwoSweepsShareOneFolder(t *testing.T) {
	_, sweeps, err := sweep.Preset("smoke")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		t.Fatal(err)
	}
	other := append([]sweep.Sweep(nil), sweeps...)
	other[0].Base = append(append([]sweep.Assignment(nil), other[0].Base...), sweep.Assignment{Key: "lr", Value: "0.02"})
	jobs2, err := sweep.Jobs(run.DefaultSettings("randman"), other)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var mu sync.Mutex
	trained := map[string]int{}
	var wg sync.WaitGroup
	for _, js := range [][]sweep.Job{jobs, jobs, jobs2} {
		wg.Add(1)
		go func(js []sweep.Job) {
			defer wg.Done()
			err := sweep.Work(context.Background(), js, out, sweep.Options{Jobs: 1, Poll: 50 * time.Millisecond,
				Done: func(o sweep.Outcome) {
					if o.Err != nil {
						t.Error(o.Err)
					}
					if !o.Skipped && o.Err == nil {
						mu.Lock()
						trained[o.Job.Name]++
						mu.Unlock()
					}
				}})
			if err != nil {
				t.Error(err)
			}
		}(js)
	}
	wg.Wait()
	for _, j := range append(append([]sweep.Job(nil), jobs...), jobs2...) {
		if trained[j.Name] != 1 {
			t.Errorf("%s trained %d times", j.Name, trained[j.Name])
		}
		dir := filepath.Join(out, j.Name)
		rec, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
		if err != nil || rec.ID != j.ID || rec.Status != "completed" {
			t.Errorf("%s: record %v", j.Name, err)
			continue
		}
		ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.LastFile))
		if err != nil || ck.Settings.ID() != j.ID {
			t.Errorf("%s: last.npz of another run: %v", j.Name, err)
		}
	}
}

// A reproduction commits its records but not its checkpoints, so a fresh
// clone holds completed records without weights. With RecordSuffices a
// completed record of the run's ID is enough: nothing is trained again.
func TestRecordSufficesWithoutCheckpoints(t *testing.T) {
	_, sweeps, err := sweep.Preset("smoke")
	if err != nil {
		t.Fatal(err)
	}
	sw := append([]sweep.Sweep(nil), sweeps...)
	sw[0].Base = append(append([]sweep.Assignment(nil), sw[0].Base...), sweep.Assignment{Key: "epochs", Value: "1"})
	sw[0].Grid = sw[0].Grid[:1]
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sw[:1])
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	pass := func(o sweep.Options) (ran, skipped int) {
		o.Jobs = 2
		o.Done = func(oc sweep.Outcome) {
			switch {
			case oc.Err != nil:
				t.Error(oc.Err)
			case oc.Skipped:
				skipped++
			default:
				ran++
			}
		}
		if err := sweep.Work(context.Background(), jobs, out, o); err != nil {
			t.Fatal(err)
		}
		return
	}
	if ran, _ := pass(sweep.Options{}); ran != len(jobs) {
		t.Fatalf("first pass ran %d of %d", ran, len(jobs))
	}
	for _, j := range jobs {
		os.Remove(filepath.Join(out, j.Name, run.BestFile))
		os.Remove(filepath.Join(out, j.Name, run.LastFile))
	}
	if ran, skipped := pass(sweep.Options{RecordSuffices: true}); ran != 0 || skipped != len(jobs) {
		t.Errorf("records only: ran %d, skipped %d; want every run skipped", ran, skipped)
	}
	// Without the option the same folder is trained again.
	if ran, skipped := pass(sweep.Options{}); ran != len(jobs) || skipped != 0 {
		t.Errorf("default: ran %d, skipped %d; want every run trained", ran, skipped)
	}
}

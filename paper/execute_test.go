package paper

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
)

// TestExecuteResumesStoppedRuns: a run with a last.npz and no completed
// record continues from it; a completed one is skipped.
func TestExecuteResumesStoppedRuns(t *testing.T) {
	p, b := nh0Plan(t, 1)
	b.Jobs[0].Settings.Epochs = 2
	b.Jobs[0].ID = b.Jobs[0].Settings.ID() // the run the job now describes
	out := t.TempDir()
	// Stop the run after its first epoch: its folder then holds the record
	// and checkpoints of an interrupted run with the plan's settings.
	s := b.Jobs[0].Settings
	s.Out, s.Name = filepath.Join(out, RunsDir, "fig3c-nh0"), b.Jobs[0].Name
	ctx, cancel := context.WithCancel(context.Background())
	if _, _, err := runner.Execute(ctx, &s, runner.Hooks{Epoch: func(metrics.Epoch) { cancel() }}); err == nil {
		t.Fatal("the first pass was not interrupted")
	}
	dir := filepath.Join(out, RunsDir, "fig3c-nh0", b.Jobs[0].Name)
	rec, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil || rec.Status != "interrupted" || len(rec.History) != 1 {
		t.Fatalf("first pass: %v, %+v", err, rec)
	}
	if err := Execute(context.Background(), p, out, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	rec, err = run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil || rec.Status != "completed" || len(rec.History) != 2 || len(rec.Resumes) != 1 || !rec.Resumes[0].Exact {
		t.Fatalf("resumed record: %v, %+v", err, rec)
	}
	var trained, skipped int
	Execute(context.Background(), p, out, 1, "", func(e Event) {
		if e.Skipped {
			skipped++
		} else {
			trained++
		}
	})
	if trained != 0 || skipped != 1 {
		t.Errorf("third pass trained %d, skipped %d", trained, skipped)
	}
	if _, err := os.Stat(filepath.Join(out, TimingFile)); err != nil {
		t.Error(err)
	}
}

// TestConcurrentSessionsAreAllKept: reproductions that share an output
// folder (workers without shards, or one per group of sweeps) save their
// sessions into the same timing file; none may overwrite another's.
func TestConcurrentSessionsAreAllKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), TimingFile)
	const workers, saves = 4, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := Session{Scale: Local, Started: time.Date(2026, 1, 1, w, 0, 0, 0, time.UTC)}
			for i := range saves {
				s.Trained = i + 1
				if err := saveSession(path, s); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ss, err := LoadSessions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != workers {
		t.Fatalf("%d sessions kept, want %d", len(ss), workers)
	}
	for _, s := range ss {
		if s.Trained != saves {
			t.Errorf("session of %v: %d trained, want its last save's %d", s.Started, s.Trained, saves)
		}
	}
}

// TestExecuteTrainsFreeRunsBeforeWaiting: a run that another worker holds
// is waited for only once every run free to claim is done, so that
// reproductions given overlapping sweeps do not idle behind each other.
func TestExecuteTrainsFreeRunsBeforeWaiting(t *testing.T) {
	p, b := nh0Plan(t, 2)
	out := t.TempDir()
	held, free := b.Jobs[0].Name, b.Jobs[1].Name
	l, err := lease.Claim(filepath.Join(out, RunsDir, "fig3c-nh0", held), time.Minute, lease.ThisProcess("the other worker"))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() { once.Do(func() { l.Release() }) }
	// A worker that waits for the held run first would wait for ever: the
	// timer ends the wait so that the test reports the order.
	timer := time.AfterFunc(15*time.Second, release)
	defer timer.Stop()
	var order []string
	var last Event
	err = Execute(context.Background(), p, out, 1, "", func(e Event) {
		order = append(order, e.Job.Name)
		last = e
		if e.Job.Name == free {
			release()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 2 || order[0] != free || order[1] != held {
		t.Errorf("order of the runs: %v, want the free one first", order)
	}
	if last.Done != 2 || last.Total != 2 {
		t.Errorf("last event: %d of %d", last.Done, last.Total)
	}
	for _, name := range []string{held, free} {
		if !run.Completed(filepath.Join(out, RunsDir, "fig3c-nh0", name)) {
			t.Errorf("%s not completed", name)
		}
	}
}

// nh0Plan is the test scale's plan cut down to the first n runs of
// fig3c-nh0, and that batch.
func nh0Plan(t *testing.T, n int) (*Plan, *Batch) {
	t.Helper()
	p, err := NewPlan(Options{Scale: Test})
	if err != nil {
		t.Fatal(err)
	}
	b := p.Batch("fig3c-nh0")
	b.Jobs = b.Jobs[:n]
	for i := range p.Batches {
		if p.Batches[i].Sweep != "fig3c-nh0" {
			p.Batches[i].Jobs = nil
		}
	}
	return p, b
}

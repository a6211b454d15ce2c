package paper

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// TestExecuteResumesStoppedRuns: a run with a last.npz and no completed
// record continues from it; a completed one is skipped.
func TestExecuteResumesStoppedRuns(t *testing.T) {
	p, err := NewPlan(Options{Scale: Test})
	if err != nil {
		t.Fatal(err)
	}
	b := p.Batch("fig3c-nh0")
	b.Jobs = b.Jobs[:1]
	b.Jobs[0].Settings.Epochs = 2
	b.Jobs[0].ID = b.Jobs[0].Settings.ID() // the run the job now describes
	for i := range p.Batches {
		if p.Batches[i].Sweep != "fig3c-nh0" {
			p.Batches[i].Jobs = nil
		}
	}
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

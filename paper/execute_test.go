package paper

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/synthetic"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/sweep"
	"github.com/spikegrad/spikegrad/train/metrics"
)

// TestAudioSweepsOnSyntheticFiles runs one run of each Fig. 6 readout case
// on SHD, RawHD and RawSC stand-ins written in the published layouts, and
// checks that the report sets them beside the paper's numbers.
func TestAudioSweepsOnSyntheticFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 12 networks")
	}
	data := t.TempDir()
	if err := synthetic.WriteSHD(filepath.Join(data, "shd"), 40, 20, 1); err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteRawHD(filepath.Join(data, "rawhd"), 40, 20, 1); err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteRawSC(filepath.Join(data, "rawsc"), []string{"yes", "no", "up"}, 12, 1); err != nil {
		t.Fatal(err)
	}
	set := []sweep.Assignment{{Key: "epochs", Value: "1"}, {Key: "limit", Value: "20"}, {Key: "batch", Value: "10"}, {Key: "hidden", Value: "16"}}
	p, err := NewPlan(Options{Scale: Full, Data: data, Set: set})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Batches {
		b := &p.Batches[i]
		if !strings.HasPrefix(b.Sweep, "fig6-") || !fileDataSets[b.Dataset] {
			b.Jobs = nil
			continue
		}
		if b.Absent != "" {
			t.Fatalf("%s: %s", b.Sweep, b.Absent)
		}
		var keep []sweep.Job
		for _, j := range b.Jobs {
			if j.Settings.LR == 0.002 && j.Settings.Seed == 1 {
				keep = append(keep, j)
			}
		}
		b.Jobs = keep
	}
	if p.Runs() != 12 {
		t.Fatalf("%d runs planned, want 12", p.Runs())
	}
	out := t.TempDir()
	if err := Execute(context.Background(), p, out, 2, "", nil); err != nil {
		t.Fatal(err)
	}
	r, err := Load(p, out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), r, WriteOptions{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, row := range rep.Rows {
		for _, ds := range []string{"SHD:", "RawHD:", "RawSC:"} {
			if strings.HasPrefix(row.Finding, ds) {
				found++
				if !strings.Contains(row.Ours, "Max, RC") || !strings.Contains(row.Ours, "top 1 of 1") || strings.HasPrefix(row.Verdict, "not run") {
					t.Errorf("%s: ours %q, verdict %q", row.Finding, row.Ours, row.Verdict)
				}
			}
		}
	}
	if found != 3 {
		t.Errorf("%d audio rows, want 3", found)
	}
	ss, err := LoadSessions(filepath.Join(out, TimingFile))
	if err != nil || len(ss) != 1 || ss[0].Trained != 12 || !ss[0].Completed {
		t.Errorf("sessions: %+v, %v", ss, err)
	}
}

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

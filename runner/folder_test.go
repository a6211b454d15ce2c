package runner_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// Item 8 of issue 13: resuming into the run's own folder from a
// weights-only checkpoint (best.npz) used to replace the folder's history
// by the new epochs and best.npz by worse weights. Now the history goes on
// and best.npz stays unless beaten; test metrics are those of best.npz.
func TestResumeIntoItsFolderKeepsHistoryAndBest(t *testing.T) {
	s := smallSettings(t)
	s.Name, s.Epochs, s.LR, s.Gain = "run", 4, 0.03, 10
	first, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	// A silent network scores 25 % (one class of four); the test needs a
	// run that did better.
	if first.Validation.Accuracy <= 0.25 {
		t.Fatalf("the first run reached only %.1f %% on validation", 100*first.Validation.Accuracy)
	}
	best, _ := os.ReadFile(filepath.Join(dir, run.BestFile))

	// Without --resume the folder is not overwritten.
	again := *s
	if _, _, err := runner.Execute(context.Background(), &again, runner.Hooks{}); err == nil || !strings.Contains(err.Error(), "already holds a run") {
		t.Fatalf("training into a folder that holds a run: %v, want a refusal", err)
	}

	// Silent weights (all zero) at a tiny learning rate stay at chance:
	// the resumed epochs cannot beat the folder's best.
	spec, _ := s.Spec(12, 4)
	zero, _ := models.Zeros(spec, tensor.Float32)
	silent := filepath.Join(t.TempDir(), "silent.npz")
	if err := runner.SaveCheckpoint(silent, &runner.Checkpoint{Settings: *s, Weights: zero}); err != nil {
		t.Fatal(err)
	}
	r := *s
	r.Resume, r.Epochs, r.LR = silent, 6, 1e-9
	var notes []string
	rec, _, err := runner.Execute(context.Background(), &r, runner.Hooks{Note: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, run.BestFile)); !bytes.Equal(now, best) {
		t.Error("best.npz was replaced by the worse resumed weights")
	}
	if len(rec.History) != 6 || !reflect.DeepEqual(rec.History[3], first.History[3]) || rec.History[4].Epoch != 5 || rec.History[5].Epoch != 6 {
		t.Fatalf("history after the resume: %d epochs %+v", len(rec.History), rec.History)
	}
	if rec.BestEpoch != first.BestEpoch || !reflect.DeepEqual(rec.Validation, first.Validation) {
		t.Errorf("best epoch %d (%v), want the folder's %d (%v)", rec.BestEpoch, rec.Validation.Accuracy, first.BestEpoch, first.Validation.Accuracy)
	}
	if len(rec.Resumes) != 1 || rec.Resumes[0].Exact || rec.Resumes[0].Epoch != 4 {
		t.Errorf("resumes %+v", rec.Resumes)
	}
	if rec.Test.Accuracy != first.Test.Accuracy {
		t.Errorf("test accuracy %v, want that of best.npz, %v", rec.Test.Accuracy, first.Test.Accuracy)
	}
	if len(notes) == 0 || !strings.Contains(strings.Join(notes, "\n"), "keeping best.npz") {
		t.Errorf("notes %q", notes)
	}
	back, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil || len(back.History) != 6 || back.Status != "completed" {
		t.Fatalf("record on disk: %v %+v", err, back)
	}

	// An exact resume from the folder's last.npz into the folder goes on
	// to more epochs; best.npz scores what the record says.
	r2 := *s
	r2.Resume, r2.Epochs = filepath.Join(dir, run.LastFile), 7
	rec2, _, err := runner.Execute(context.Background(), &r2, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec2.History) != 7 || !reflect.DeepEqual(rec2.History[5], rec.History[5]) || len(rec2.Resumes) != 2 || !rec2.Resumes[1].Exact {
		t.Errorf("exact resume into the folder: %d epochs, resumes %+v", len(rec2.History), rec2.Resumes)
	}
	if acc := validationOf(t, s, filepath.Join(dir, run.BestFile)); acc != rec2.Validation.Accuracy {
		t.Errorf("best.npz scores %v on validation, the record says %v", acc, rec2.Validation.Accuracy)
	}

	// A checkpoint of another run's history is refused: it would drop the
	// folder's epochs.
	other := smallSettings(t)
	other.Epochs, other.Seed = 2, 9
	_, odir, err := runner.Execute(context.Background(), other, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	r3 := *s
	r3.Resume, r3.Epochs = filepath.Join(odir, run.LastFile), 9
	if _, _, err := runner.Execute(context.Background(), &r3, runner.Hooks{}); err == nil || !strings.Contains(err.Error(), "another run") {
		t.Errorf("resuming another run's last.npz into the folder: %v", err)
	}
}

func validationOf(t *testing.T, s *run.Settings, path string) float64 {
	t.Helper()
	ck, err := runner.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.LoadData(context.Background())
	spec, _ := s.Spec(12, 4)
	ev, err := train.NewEvaluator(spec, 16, ck.Weights)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	m, err := ev.Evaluate(d.Validation)
	if err != nil {
		t.Fatal(err)
	}
	return m.Accuracy
}

// Item 9: temporary files of a killed writer are removed when a run
// starts in the folder; a best.npz that cannot be written is not claimed
// in the record; a run that fails in its first epoch records an empty
// history, not null.
func TestRunFolderStatesWhatIsOnDisk(t *testing.T) {
	s := smallSettings(t)
	s.Name, s.Epochs = "run", 2
	dir := filepath.Join(s.Out, "run")
	// A folder in place of best.npz makes every write of it fail, as a
	// full disk would.
	if err := os.MkdirAll(filepath.Join(dir, run.BestFile, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, ".last.npz.tmp8k2j1")
	os.WriteFile(tmp, make([]byte, 110<<10), 0o644)
	var notes []string
	rec, _, err := runner.Execute(context.Background(), s, runner.Hooks{Note: func(m string) { notes = append(notes, m) }})
	if err == nil || !strings.Contains(err.Error(), "best.npz") {
		t.Fatalf("want an error naming best.npz, got %v", err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("the stale temporary file is still there")
	}
	if !strings.Contains(strings.Join(notes, "\n"), ".last.npz.tmp8k2j1") {
		t.Errorf("notes %q do not name the removed file", notes)
	}
	back, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.BestEpoch != 0 || rec.BestEpoch != 0 || back.Checkpoint != "" || back.Status != "failed" {
		t.Errorf("record names best epoch %d (%q, %s) though best.npz could not be written", back.BestEpoch, back.Checkpoint, back.Status)
	}
	if len(back.History) != 1 {
		t.Errorf("history of %d epochs, want the one in last.npz", len(back.History))
	}
	if ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.LastFile)); err != nil || ck.State.BestEpoch != 1 {
		t.Errorf("last.npz should hold epoch 1 as the best: %v", err)
	}

	// Diverging in the first batches: no checkpoint, and "history": [].
	d := smallSettings(t)
	d.Name, d.LR = "diverged", 1e6
	_, ddir, err := runner.Execute(context.Background(), d, runner.Hooks{})
	if err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Fatalf("lr 1e6: %v, want a divergence error", err)
	}
	raw, _ := os.ReadFile(filepath.Join(ddir, run.RecordFile))
	if !bytes.Contains(raw, []byte(`"history": []`)) {
		t.Errorf("record of a run that failed in epoch 1:\n%s", raw)
	}
	if got := run.Files(ddir); strings.Join(got, " ") != "settings.yaml record.json" {
		t.Errorf("files of a run that failed in epoch 1: %v", got)
	}
}

// A second process (here: a lease held under another owner) cannot train
// into a folder in use.
func TestFolderInUseIsRefused(t *testing.T) {
	s := smallSettings(t)
	s.Name = "busy"
	l, err := lease.Claim(filepath.Join(s.Out, "busy"), lease.DefaultTTL, lease.Owner{Host: "elsewhere", PID: 1, Worker: "slurm job 7 task 3"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	_, _, err = runner.Execute(context.Background(), s, runner.Hooks{})
	if err == nil || !strings.Contains(err.Error(), "in use by slurm job 7 task 3") {
		t.Errorf("want an error naming the holder, got %v", err)
	}
}

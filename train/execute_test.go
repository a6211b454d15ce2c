package train_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/train"
)

// smallSettings is a reduced randman run of a few seconds.
func smallSettings(t *testing.T) *train.Settings {
	s := train.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 4, 12, 60
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 40, 10, 20
	s.Steps, s.Hidden, s.Epochs, s.Batch, s.LR = 40, []int{16}, 3, 32, 1e-2
	s.Out, s.Threads = t.TempDir(), 2
	return &s
}

func TestExecuteWritesRunFolder(t *testing.T) {
	s := smallSettings(t)
	rec, dir, err := train.Execute(context.Background(), s, train.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{train.SettingsFile, train.BestFile, train.LastFile, train.RecordFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	back, err := train.LoadRecord(filepath.Join(dir, train.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != "completed" || len(back.History) != 3 || back.Test == nil || back.Test.N != 40 ||
		back.BestEpoch < 1 || len(back.Activity) != 1 || back.Settings.LR != s.LR || back.Data.Inputs != 12 {
		t.Errorf("record: %+v", back)
	}
	if rec.Test.Accuracy != back.Test.Accuracy {
		t.Errorf("returned and written records differ")
	}
	// The best checkpoint holds the weights that scored the recorded
	// validation accuracy.
	ck, err := train.LoadCheckpoint(filepath.Join(dir, train.BestFile))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.LoadData(context.Background())
	spec, _ := s.Spec(12, 4)
	sess, err := train.NewSession(spec, 16, ck.Weights, s.LR)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	m, err := sess.Evaluate(d.Validation)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.Accuracy-back.Validation.Accuracy) > 1e-12 {
		t.Errorf("best.npz scores %.4f on validation, the record says %.4f", m.Accuracy, back.Validation.Accuracy)
	}
}

// TestExecuteIsReproducible: the same settings give bit-identical histories.
func TestExecuteIsReproducible(t *testing.T) {
	var runs []*train.Record
	for i := 0; i < 2; i++ {
		rec, _, err := train.Execute(context.Background(), smallSettings(t), train.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, rec)
	}
	for e := range runs[0].History {
		a, b := runs[0].History[e], runs[1].History[e]
		a.Duration, b.Duration = 0, 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("epoch %d differs:\n%+v\n%+v", e+1, a, b)
		}
	}
	if !reflect.DeepEqual(runs[0].Test, runs[1].Test) {
		t.Errorf("test metrics differ: %+v vs %+v", runs[0].Test, runs[1].Test)
	}
}

// TestExecuteInterrupted: cancelling after the first epoch stops the run
// with an error, and the record and checkpoints of that epoch remain.
func TestExecuteInterrupted(t *testing.T) {
	s := smallSettings(t)
	s.Epochs = 50
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec, dir, err := train.Execute(ctx, s, train.Hooks{Epoch: func(train.Epoch) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want a cancellation error, got %v", err)
	}
	back, err := train.LoadRecord(filepath.Join(dir, train.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != "interrupted" || len(back.History) != 1 || rec.BestEpoch != 1 {
		t.Errorf("record after interrupt: status %s, %d epochs", back.Status, len(back.History))
	}
	if _, err := train.LoadCheckpoint(filepath.Join(dir, train.BestFile)); err != nil {
		t.Error(err)
	}
	// Resuming from the last checkpoint starts from its weights.
	s2 := smallSettings(t)
	s2.Resume, s2.Epochs = filepath.Join(dir, train.LastFile), 1
	if _, _, err := train.Execute(context.Background(), s2, train.Hooks{}); err != nil {
		t.Errorf("resume: %v", err)
	}
	s3 := smallSettings(t)
	s3.Resume, s3.Hidden = filepath.Join(dir, train.LastFile), []int{17}
	if _, _, err := train.Execute(context.Background(), s3, train.Hooks{}); err == nil {
		t.Error("resume into another architecture: want an error")
	}
}

func TestExecuteRejectsBadRuns(t *testing.T) {
	missing := smallSettings(t)
	missing.Resume = filepath.Join(t.TempDir(), "none.npz")
	if _, _, err := train.Execute(context.Background(), missing, train.Hooks{}); err == nil {
		t.Error("missing checkpoint: want an error")
	}
}

// A batch larger than the training split shrinks to it, with a note.
func TestExecuteFitsTheBatch(t *testing.T) {
	big := smallSettings(t)
	big.Batch, big.Epochs = 1000, 1
	rec, _, err := train.Execute(context.Background(), big, train.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Settings.Batch != rec.Data.Train || len(rec.Data.Notes) != 1 || !strings.Contains(rec.Data.Notes[0], "batch: 1000 is larger") {
		t.Errorf("batch %d for %d samples, notes %q", rec.Settings.Batch, rec.Data.Train, rec.Data.Notes)
	}
}

// TestSnapshotsAreConsistent checks the recorded traces against the model's
// own rules: a spike exactly where U ≥ 1, a reset right after it, logits
// equal to the maximum readout potential, and agreement with Evaluate.
func TestSnapshotsAreConsistent(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 30)
	w, err := spec.Init(2, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := train.NewSession(spec, 8, w, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	snaps, err := sess.Snapshots(d.Test, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	spikes := 0.0
	for _, sn := range snaps {
		S, U := sn.Spikes[0], sn.Membrane[0]
		for n := range S {
			for i, s := range S[n] {
				spikes += s
				if (U[n][i] >= 1) != (s == 1) {
					t.Fatalf("sample %d step %d neuron %d: U = %v, S = %v", sn.Index, n, i, U[n][i], s)
				}
				if s == 1 && n+1 < len(U) && U[n+1][i] != 0 {
					t.Fatalf("sample %d: no reset after the spike at step %d", sn.Index, n)
				}
			}
		}
		mx := 0.0 // U_out[1] = 0 takes part
		for _, row := range sn.Readout {
			mx = math.Max(mx, row[0])
		}
		if math.Abs(mx-sn.Logits[0]) > 1e-12 {
			t.Errorf("logit %v, max readout potential %v", sn.Logits[0], mx)
		}
	}
	if spikes == 0 {
		t.Fatal("no spikes: the test checks nothing")
	}
	err = sess.Each(d.Test.Subset("test", []int{0, 1, 2}), func(o train.Output) {
		if !reflect.DeepEqual(o.Logits, snaps[o.Index].Logits) {
			t.Errorf("sample %d: Each gives %v, Snapshots %v", o.Index, o.Logits, snaps[o.Index].Logits)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

package runner_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// smallSettings is a reduced randman run of a few seconds.
func smallSettings(t *testing.T) *run.Settings {
	s := run.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 4, 12, 60
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 40, 10, 20
	s.Steps, s.Hidden, s.Epochs, s.Batch, s.LR = 40, []int{16}, 3, 32, 1e-2
	s.Out, s.Threads = t.TempDir(), 2
	return &s
}

func TestExecuteWritesRunFolder(t *testing.T) {
	s := smallSettings(t)
	rec, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{run.SettingsFile, run.BestFile, run.LastFile, run.RecordFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	back, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != "completed" || len(back.History) != 3 || back.Test == nil || back.Test.N != 40 ||
		back.BestEpoch < 1 || len(back.Activity) != 1 || back.Settings.LR != s.LR || back.Data.Inputs != 12 ||
		back.FinalTest == nil || back.FinalTest.N != 40 || len(back.FinalActivity) != 1 {
		t.Errorf("record: %+v", back)
	}
	if rec.Test.Accuracy != back.Test.Accuracy {
		t.Errorf("returned and written records differ")
	}
	// The best checkpoint holds the weights that scored the recorded
	// validation accuracy.
	ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.BestFile))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.LoadData(context.Background())
	spec, _ := s.Spec(12, 4)
	sess, err := train.NewEvaluator(spec, 16, ck.Weights)
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
	var runs []*run.Record
	for i := 0; i < 2; i++ {
		rec, _, err := runner.Execute(context.Background(), smallSettings(t), runner.Hooks{})
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
	rec, dir, err := runner.Execute(ctx, s, runner.Hooks{Epoch: func(metrics.Epoch) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want a cancellation error, got %v", err)
	}
	back, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.Status != "interrupted" || len(back.History) != 1 || rec.BestEpoch != 1 {
		t.Errorf("record after interrupt: status %s, %d epochs", back.Status, len(back.History))
	}
	if _, err := runner.LoadCheckpoint(filepath.Join(dir, run.BestFile)); err != nil {
		t.Error(err)
	}
	// Resuming from the last checkpoint continues the run: epochs counts
	// all of them, the history carries over, and the record notes it.
	s2 := smallSettings(t)
	s2.Resume, s2.Epochs = filepath.Join(dir, run.LastFile), 2
	rec2, dir2, err := runner.Execute(context.Background(), s2, runner.Hooks{})
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if len(rec2.History) != 2 || !reflect.DeepEqual(rec2.History[0], back.History[0]) || len(rec2.Resumes) != 1 ||
		!rec2.Resumes[0].Exact || rec2.Resumes[0].Epoch != 1 || rec2.Resumes[0].From != s2.Resume {
		t.Errorf("resumed record: %d epochs, resumes %+v", len(rec2.History), rec2.Resumes)
	}
	// Fewer epochs than the checkpoint has done are refused.
	s2.Resume, s2.Epochs = filepath.Join(dir2, run.LastFile), 1
	if _, _, err := runner.Execute(context.Background(), s2, runner.Hooks{}); err == nil || !strings.Contains(err.Error(), "epochs") {
		t.Errorf("resume from 2 epochs with epochs = 1: %v, want an error naming epochs", err)
	}
	s3 := smallSettings(t)
	s3.Resume, s3.Hidden = filepath.Join(dir, run.LastFile), []int{17}
	if _, _, err := runner.Execute(context.Background(), s3, runner.Hooks{}); err == nil {
		t.Error("resume into another architecture: want an error")
	}
}

func TestExecuteRejectsBadRuns(t *testing.T) {
	missing := smallSettings(t)
	missing.Resume = filepath.Join(t.TempDir(), "none.npz")
	if _, _, err := runner.Execute(context.Background(), missing, runner.Hooks{}); err == nil {
		t.Error("missing checkpoint: want an error")
	}
}

// TestResumeIsExact: 6 epochs straight, and 3 epochs then a resumption
// from last.npz up to 6, end with the same weights, history, best epoch,
// test result and activity, bit for bit, for both float types, with the
// batch split into two micro-batches (threads = 2). The second way also
// covers an interrupted run resumed with its own settings.
func TestResumeIsExact(t *testing.T) {
	for _, dtype := range []string{"float32", "float64"} {
		settings := func(epochs int) *run.Settings {
			s := smallSettings(t)
			s.DType, s.Epochs = dtype, epochs
			return s
		}
		straight, dirA, err := runner.Execute(context.Background(), settings(6), runner.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		_, dirB, err := runner.Execute(context.Background(), settings(3), runner.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		s := settings(6)
		s.Resume = filepath.Join(dirB, run.LastFile)
		resumed, dirC, err := runner.Execute(context.Background(), s, runner.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		// An interrupted 6-epoch run, resumed with its own settings.
		ctx, cancel := context.WithCancel(context.Background())
		_, dirD, _ := runner.Execute(ctx, settings(6), runner.Hooks{Epoch: func(e metrics.Epoch) {
			if e.Epoch == 3 {
				cancel()
			}
		}})
		cancel()
		s = settings(6)
		s.Resume = filepath.Join(dirD, run.LastFile)
		interrupted, dirE, err := runner.Execute(context.Background(), s, runner.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]struct {
			rec *run.Record
			dir string
		}{"3 + resumed 3": {resumed, dirC}, "interrupted at 3 and resumed": {interrupted, dirE}} {
			if d := diffRuns(t, straight, got.rec, dirA, got.dir); d != "" {
				t.Errorf("%s, %s: differs from 6 epochs straight: %s", dtype, name, d)
			}
			if len(got.rec.Resumes) != 1 || !got.rec.Resumes[0].Exact || got.rec.Resumes[0].Epoch != 3 {
				t.Errorf("%s, %s: record notes resumes %+v", dtype, name, got.rec.Resumes)
			}
		}
	}
}

// diffRuns describes the first difference between two runs' records and
// checkpoints, ignoring wall times; "" if none.
func diffRuns(t *testing.T, a, b *run.Record, dirA, dirB string) string {
	t.Helper()
	if len(a.History) != len(b.History) {
		return fmt.Sprintf("%d and %d epochs", len(a.History), len(b.History))
	}
	for i := range a.History {
		x, y := a.History[i], b.History[i]
		x.Duration, y.Duration = 0, 0
		if !reflect.DeepEqual(x, y) {
			return fmt.Sprintf("epoch %d: %+v vs %+v", i+1, x, y)
		}
	}
	if a.BestEpoch != b.BestEpoch || !reflect.DeepEqual(a.Validation, b.Validation) ||
		!reflect.DeepEqual(a.Test, b.Test) || !reflect.DeepEqual(a.Activity, b.Activity) {
		return fmt.Sprintf("best epoch %d vs %d, test %+v vs %+v", a.BestEpoch, b.BestEpoch, a.Test, b.Test)
	}
	if !reflect.DeepEqual(a.FinalTest, b.FinalTest) || !reflect.DeepEqual(a.FinalActivity, b.FinalActivity) {
		return fmt.Sprintf("final weights' test %+v vs %+v", a.FinalTest, b.FinalTest)
	}
	for _, f := range []string{run.LastFile, run.BestFile} {
		ca, err := runner.LoadCheckpoint(filepath.Join(dirA, f))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := runner.LoadCheckpoint(filepath.Join(dirB, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range ca.Weights.All() {
			if !reflect.DeepEqual(m.Data(), cb.Weights.All()[i].Data()) {
				return fmt.Sprintf("%s: %s differs", f, ca.Weights.Names()[i])
			}
		}
	}
	return ""
}

// A batch larger than the training split shrinks to it, with a note; the
// settings, and so the run's identity, keep the batch asked for.
func TestExecuteFitsTheBatch(t *testing.T) {
	big := smallSettings(t)
	big.Batch, big.Epochs = 1000, 1
	var notes []string
	rec, _, err := runner.Execute(context.Background(), big, runner.Hooks{Note: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("batch: 1000 is larger than the training split of %d samples; using %d", rec.Data.Train, rec.Data.Train)
	if rec.Settings.Batch != 1000 || len(rec.Data.Notes) != 1 || rec.Data.Notes[0] != want || !slices.Contains(notes, want) {
		t.Errorf("settings batch %d, record notes %q, logged %q; want the note %q", rec.Settings.Batch, rec.Data.Notes, notes, want)
	}
}

// TestOutThatIsNoFolderFailsFirst: an out that is a file, or lies below
// one, is refused before the data are loaded (which may take minutes), with
// an error that names it.
func TestOutThatIsNoFolderFailsFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{file, filepath.Join(file, "below")} {
		s := smallSettings(t)
		s.Out = out
		loaded := false
		_, _, err := runner.Execute(context.Background(), s, runner.Hooks{Data: func(*datasets.Data, time.Duration) { loaded = true }})
		if err == nil || !strings.Contains(err.Error(), "out") || !strings.Contains(err.Error(), file) || loaded {
			t.Errorf("out %s: error %v, data loaded %v; want an error naming out before loading", out, err, loaded)
		}
	}
}

// TestContinuedRunsSettingsRerunIt: a run stopped and continued from its
// own last.npz saves settings without the resume, since the continuation
// computes the uninterrupted run: its settings.yaml, rerun from scratch,
// gives the same numbers. A run started from other weights (best.npz, no
// optimiser state) keeps its resume: without it, it would be another run.
func TestContinuedRunsSettingsRerunIt(t *testing.T) {
	s := smallSettings(t)
	s.Name, s.Epochs = "stopped", 4
	ctx, cancel := context.WithCancel(context.Background())
	epochs := 0
	_, dir, err := runner.Execute(ctx, s, runner.Hooks{Epoch: func(metrics.Epoch) {
		if epochs++; epochs == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want a cancellation, got %v", err)
	}
	s.Resume = filepath.Join(dir, run.LastFile)
	resumed, _, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	yaml, err := os.ReadFile(filepath.Join(dir, run.SettingsFile))
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Settings.Resume != "" || !strings.Contains(string(yaml), "resume: \"\"") || len(resumed.Resumes) != 1 {
		t.Errorf("continued run: record resume %q, %d resumes; settings.yaml:\n%s", resumed.Settings.Resume, len(resumed.Resumes), yaml)
	}
	again := run.DefaultSettings("randman")
	if err := again.ApplyYAML(yaml); err != nil {
		t.Fatal(err)
	}
	again.Out, again.Name = t.TempDir(), "again"
	rerun, _, err := runner.Execute(context.Background(), &again, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if same, diff := rerun.SameNumbers(resumed); !same {
		t.Errorf("settings.yaml rerun: %s", diff)
	}

	fine := smallSettings(t)
	fine.Name, fine.Epochs, fine.Resume = "fine-tuned", 2, filepath.Join(dir, run.BestFile)
	tuned, tunedDir, err := runner.Execute(context.Background(), fine, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	yaml, _ = os.ReadFile(filepath.Join(tunedDir, run.SettingsFile))
	if tuned.Settings.Resume != fine.Resume || !strings.Contains(string(yaml), run.BestFile) {
		t.Errorf("run from best.npz: record resume %q; settings.yaml:\n%s", tuned.Settings.Resume, yaml)
	}
}

// TestRecordKeepsLearntNeuronParams: the record holds the per-neuron
// parameters of the best weights, so that learnt time constants survive
// where checkpoints are not kept; the LIF's record holds none.
func TestRecordKeepsLearntNeuronParams(t *testing.T) {
	s := smallSettings(t)
	s.Neuron, s.Epochs = "lif-learn-tau-gamma", 2
	_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.BestFile))
	if err != nil {
		t.Fatal(err)
	}
	want := ck.Weights.PerNeuron()
	if len(want) != 4 || len(want["theta_mem0"]) != 16 || len(want["theta_synout"]) != 4 {
		t.Fatalf("best.npz's per-neuron parameters: %v", want)
	}
	if !reflect.DeepEqual(back.NeuronParams, want) {
		t.Errorf("record's neuron_params %v, best.npz's %v", back.NeuronParams, want)
	}
	// Continued from its last.npz (a sweep's takeover), the run trains no
	// better epoch, and its record still holds them.
	s.Resume = filepath.Join(dir, run.LastFile)
	s.Epochs++
	cont, _, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if cont.BestEpoch <= 2 && !reflect.DeepEqual(cont.NeuronParams, want) {
		t.Errorf("continued record's neuron_params %v, best.npz's %v", cont.NeuronParams, want)
	}
	lif := smallSettings(t)
	lif.Epochs = 1
	rec, _, err := runner.Execute(context.Background(), lif, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.NeuronParams != nil {
		t.Errorf("the LIF's record holds neuron parameters %v", rec.NeuronParams)
	}
}

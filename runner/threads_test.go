package runner_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// A run continued at another thread count — a takeover by a worker on a
// machine with more or fewer cores — gives the numbers of the run that
// never stopped.
func TestContinuationAtAnotherThreadCountIsExact(t *testing.T) {
	for _, c := range []struct{ from, to int }{{1, 2}, {2, 1}} {
		t.Run(fmt.Sprintf("%d-to-%d", c.from, c.to), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.from))
			s := smallSettings(t) // batches large enough that the thread count shows
			s.Epochs, s.Name = 4, "straight"
			straight, _, err := runner.Execute(context.Background(), s, runner.Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			s.Epochs, s.Name = 2, "taken-over"
			_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			runtime.GOMAXPROCS(c.to)
			s.Epochs, s.Resume = 4, filepath.Join(dir, run.LastFile)
			cont, _, err := runner.Execute(context.Background(), s, runner.Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if same, diff := cont.SameNumbers(straight); !same {
				t.Errorf("continued at %d threads from %d: %s", c.to, c.from, diff)
			}
			if len(cont.Resumes) != 1 || !cont.Resumes[0].Exact {
				t.Errorf("resumes: %+v", cont.Resumes)
			}
			if cont.Numerics != run.Numerics || cont.Resumes[0].Numerics != 0 {
				t.Errorf("record of numerics %d, resumed from %d; want %d throughout", cont.Numerics, cont.Resumes[0].Numerics, run.Numerics)
			}
		})
	}
}

// The settings' default micro-batches are the engine's.
func TestDefaultMicroBatches(t *testing.T) {
	if run.DefaultMicroBatches != train.DefaultMicroBatches {
		t.Errorf("run.DefaultMicroBatches %d, train.DefaultMicroBatches %d", run.DefaultMicroBatches, train.DefaultMicroBatches)
	}
}

// A run continued from a checkpoint of an earlier version of the
// arithmetic goes on, says so, and its record names the version, so that
// no one takes its numbers for a rerun's; a checkpoint of a version this
// build does not know is refused, naming it.
func TestContinuationFromAnotherArithmetic(t *testing.T) {
	s := smallSettings(t)
	s.Epochs, s.Name = 1, "old"
	_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	ck, err := runner.LoadCheckpoint(filepath.Join(dir, run.LastFile))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Numerics != run.Numerics {
		t.Errorf("checkpoint of numerics %d, want %d", ck.Numerics, run.Numerics)
	}
	ck.Numerics = 1
	old := filepath.Join(s.Out, "v1.npz")
	if err := runner.SaveCheckpoint(old, ck); err != nil {
		t.Fatal(err)
	}
	var notes []string
	s.Epochs, s.Name, s.Resume = 2, "continued", old
	rec, _, err := runner.Execute(context.Background(), s, runner.Hooks{Note: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Resumes) != 1 || rec.Resumes[0].Numerics != 1 || rec.Numerics != run.Numerics {
		t.Errorf("record: numerics %d, resumes %+v; want a resume from version 1", rec.Numerics, rec.Resumes)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "version 1 of the arithmetic") {
		t.Errorf("notes %q do not name the checkpoint's arithmetic", notes)
	}
	ck.Numerics = run.Numerics + 1
	future := filepath.Join(s.Out, "future.npz")
	if err := runner.SaveCheckpoint(future, ck); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.LoadCheckpoint(future); err == nil || !strings.Contains(err.Error(), "arithmetic version") {
		t.Errorf("a checkpoint of numerics %d: %v, want an error naming the version", run.Numerics+1, err)
	}
}

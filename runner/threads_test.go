package runner_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// A run continued at another thread count — a takeover by a worker on a
// machine with more or fewer cores — gives the numbers of the run that
// never stopped, and its record says at which thread count to rerun it.
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
			if got, want := cont.Replicas, straight.Replicas; got != want || want < 1 {
				t.Errorf("record names %d replicas, the straight run %d", got, want)
			}
		})
	}
}

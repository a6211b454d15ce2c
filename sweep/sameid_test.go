package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// twoSweepsOfOneRun returns the jobs of two sweeps, under other names,
// whose one run is the same.
func twoSweepsOfOneRun(t *testing.T) (a, b []sweep.Job) {
	doc := func(name string) []byte {
		return []byte(`name: ` + name + `
base: {randman-classes: 3, randman-units: 8, randman-samples: 30, randman-train: 20, randman-validation: 5,
       randman-window: 15, steps: 30, hidden: [6], epochs: 2, batch: 12}
grid:
  seed: [7]
`)
	}
	for i, name := range []string{"first", "second"} {
		sw, err := sweep.ParseSweeps(doc(name))
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sw)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			a = jobs
		} else {
			b = jobs
		}
	}
	if a[0].ID != b[0].ID || a[0].Name == b[0].Name {
		t.Fatalf("want one run under two names, got %s (%s) and %s (%s)", a[0].Name, a[0].ID, b[0].Name, b[0].ID)
	}
	return a, b
}

// The same run in two sweeps that share an output folder is trained once:
// the second sweep finds it in the first one's folder.
func TestSameRunInTwoSweepsIsTrainedOnce(t *testing.T) {
	a, b := twoSweepsOfOneRun(t)
	out := t.TempDir()
	if err := sweep.Work(context.Background(), a, out, sweep.Options{Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	var got []sweep.Outcome
	if err := sweep.Work(context.Background(), b, out, sweep.Options{Jobs: 1, Done: func(o sweep.Outcome) { got = append(got, o) }}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Skipped || got[0].Folder != filepath.Join(out, a[0].Name) {
		t.Errorf("second sweep: %+v, want the run skipped as completed in %s", got, a[0].Name)
	}
	if trained := runFolders(t, out); trained != 1 {
		t.Errorf("%d run folders, want 1", trained)
	}
}

// Two sweeps started at once with the same run train it once.
func TestSameRunInTwoConcurrentSweepsIsTrainedOnce(t *testing.T) {
	a, b := twoSweepsOfOneRun(t)
	for round := 0; round < 5; round++ {
		out := t.TempDir()
		var wg sync.WaitGroup
		var mu sync.Mutex
		trainedHere := 0
		for _, jobs := range [][]sweep.Job{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := sweep.Work(context.Background(), jobs, out, sweep.Options{Jobs: 1, Done: func(o sweep.Outcome) {
					mu.Lock()
					defer mu.Unlock()
					if !o.Skipped && o.Err == nil && !o.Elsewhere {
						trainedHere++
					}
				}})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := runFolders(t, out); n != 1 || trainedHere != 1 {
			t.Fatalf("round %d: %d run folders, %d trainings, want 1 of each", round, n, trainedHere)
		}
	}
}

// runFolders counts the folders of out that hold a run's record.
func runFolders(t *testing.T, out string) int {
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(out, e.Name(), run.RecordFile)); err == nil {
			n++
		}
	}
	return n
}

// A sweep shares the cores between its jobs: each run's record says it
// used GOMAXPROCS/jobs of them.
func TestJobsShareTheCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	a, _ := twoSweepsOfOneRun(t)
	for _, c := range []struct{ jobs, cores int }{{2, 2}, {1, 4}} {
		out := t.TempDir()
		var got []sweep.Outcome
		if err := sweep.Work(context.Background(), a, out, sweep.Options{Jobs: c.jobs, Done: func(o sweep.Outcome) { got = append(got, o) }}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Record == nil || got[0].Record.Software.Cores != c.cores {
			t.Errorf("%d jobs on 4 cores: %+v, want a record of %d cores", c.jobs, got, c.cores)
		}
	}
}

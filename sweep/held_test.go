package sweep_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/sweep"
)

// A worker whose run another worker took over (it was paused past its
// lease) has not failed: the run is the other's, and Work returns no
// error, so a Slurm task does not show FAILED for a run that completes.
func TestLostRunIsNotAFailure(t *testing.T) {
	a, _ := twoSweepsOfOneRun(t)
	out := t.TempDir()
	dir := filepath.Join(out, a[0].Name)
	var got []sweep.Outcome
	err := sweep.Work(context.Background(), a, out, sweep.Options{Jobs: 1,
		Hooks: func(sweep.Job) runner.Hooks {
			return runner.Hooks{Epoch: func(metrics.Epoch) {
				// Another worker takes the run over after epoch 1.
				b, _ := json.Marshal(lease.Owner{Host: "elsewhere.example", PID: 9, Worker: "taker", Since: time.Now()})
				os.WriteFile(filepath.Join(dir, ".lease.2"), b, 0o644)
			}}
		},
		Done: func(o sweep.Outcome) { got = append(got, o) }})
	if err != nil {
		t.Errorf("Work: %v, want no error for a run another worker took over", err)
	}
	if len(got) != 1 || !got[0].Elsewhere || !errors.Is(got[0].Err, lease.ErrLost) {
		t.Errorf("outcomes %+v, want the run left to the other worker", got)
	}
}

// A worker waiting for a run that another holds says which, and when it
// is interrupted it reports that run as left to the other worker.
func TestWaitingWorkerNamesHeldRuns(t *testing.T) {
	a, _ := twoSweepsOfOneRun(t)
	out := t.TempDir()
	dir := filepath.Join(out, a[0].Name)
	l, err := lease.Claim(dir, time.Hour, lease.Owner{Host: "elsewhere.example", PID: 9, Worker: "slurm job 5 task 2", Since: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	var waited []sweep.Held
	var got []sweep.Outcome
	sweep.Work(ctx, a, out, sweep.Options{Jobs: 1,
		Waiting: func(h []sweep.Held) { waited = append(waited, h...) },
		Done:    func(o sweep.Outcome) { got = append(got, o) }})
	if len(waited) == 0 || waited[0].Holder == nil || !strings.Contains(waited[0].Holder.Error(), filepath.Join(dir, ".lease.1")) ||
		!strings.Contains(waited[0].Holder.Error(), "slurm job 5 task 2") {
		t.Errorf("waiting: %+v, want the held run with its holder and lease file", waited)
	}
	if len(got) != 1 || !got[0].Elsewhere || got[0].Folder != dir {
		t.Errorf("outcomes of an interrupted wait: %+v, want the run left to its holder", got)
	}
}

// A job whose ID is not a settings hash (a library caller's mistake, or a
// crafted one such as "../../x") is refused before any folder is made
// from it.
func TestCraftedJobIDIsRefused(t *testing.T) {
	a, _ := twoSweepsOfOneRun(t)
	out := filepath.Join(t.TempDir(), "out")
	a[0].ID = "../../escape"
	err := sweep.Work(context.Background(), a, out, sweep.Options{Jobs: 1})
	if err == nil || !strings.Contains(err.Error(), "../../escape") {
		t.Errorf("Work: %v, want an error naming the ID", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "escape")); err == nil {
		t.Error("a folder was made outside out")
	}
}

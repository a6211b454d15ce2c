package runner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/sweep"
)

// hostA is a holder on another machine: nothing here can tell whether its
// process runs, so only its lease's age decides.
var hostA = lease.Owner{Host: "host-a.example", PID: 4711, Worker: "slurm job 1 task 0"}

// A holder paused after its lease check and before its write (a
// scheduler, a debugger, a slow network file system, a garbage collection)
// while a worker on another machine takes the run over and completes it
// must not change the completed run: at every write point of a run, for
// every file it writes, the folder ends bit for bit as a clean run leaves
// it, and the stale holder's write fails with lease.ErrLost.
func TestStaleHolderCannotWriteAfterTakeover(t *testing.T) {
	s := fenceSettings(t)
	job := sweep.Job{Name: "r", ID: s.ID(), Settings: *s}

	// The clean run, and the sequence of writes a holder makes.
	clean := filepath.Join(t.TempDir(), "r")
	var points []string
	if err := holdAndRun(s, clean, func(name string) { points = append(points, name) }); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{run.SettingsFile, run.RecordFile, run.LastFile, run.BestFile} {
		if !slices.Contains(points, f) {
			t.Fatalf("the clean run wrote %v, not %s", points, f)
		}
	}
	for k, file := range points {
		t.Run(fmt.Sprintf("write%02d-%s", k, file), func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, job.Name)
			paused, resume := make(chan struct{}), make(chan struct{})
			n := 0
			errc := make(chan error, 1)
			go func() {
				errc <- holdAndRun(s, dir, func(name string) {
					if n == k {
						close(paused)
						<-resume
					}
					n++
				})
			}()
			select {
			case <-paused:
			case err := <-errc:
				t.Fatalf("holder a ended before write %d: %v", k, err)
			}
			// Host a stops refreshing its lease: the file ages past its
			// time to live, and host b's worker takes the run over.
			past := time.Now().Add(-2 * time.Hour)
			if err := os.Chtimes(filepath.Join(dir, ".lease.1"), past, past); err != nil {
				t.Fatal(err)
			}
			var got []sweep.Outcome
			err := sweep.Work(context.Background(), []sweep.Job{job}, out, sweep.Options{Jobs: 1, Lease: time.Minute, NoWait: true,
				Done: func(o sweep.Outcome) { got = append(got, o) }})
			if err != nil || len(got) != 1 || got[0].Record == nil || got[0].Record.Status != "completed" {
				t.Fatalf("host b's worker: %v, outcomes %+v", err, got)
			}
			close(resume)
			if err := <-errc; !errors.Is(err, lease.ErrLost) {
				t.Errorf("the stale holder's run ended with %v, want an error matching lease.ErrLost", err)
			}
			sameFolder(t, dir, clean)
		})
	}
}

// fenceSettings is a run of three short epochs.
func fenceSettings(t *testing.T) *run.Settings {
	s := smallSettings(t)
	s.Randman.SamplesPerClass, s.Randman.TrainPerClass, s.Randman.ValidationPerClass = 30, 20, 5
	s.Steps, s.Hidden, s.Batch = 30, []int{8}, 16
	s.Name = "r"
	return s
}

// holdAndRun claims dir as host a and trains s into it, calling pause
// before each write is published.
func holdAndRun(s *run.Settings, dir string, pause func(name string)) error {
	l, err := lease.Claim(dir, time.Hour, hostA)
	if err != nil {
		return err
	}
	defer l.Release()
	l.SetBeforePublish(pause)
	own := *s
	own.Out, own.Name = filepath.Dir(dir), filepath.Base(dir)
	_, _, err = runner.Execute(context.Background(), &own, runner.Hooks{Lease: l})
	return err
}

// sameFolder checks that run folder dir holds what the clean run left in
// want, and no file of a lease's writers.
func sameFolder(t *testing.T, dir, want string) {
	t.Helper()
	rec, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := run.LoadRecord(filepath.Join(want, run.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != "completed" {
		t.Errorf("record status %s", rec.Status)
	}
	if d := diffRuns(t, rec, ref, dir, want); d != "" {
		t.Errorf("differs from the clean run: %s", d)
	}
	last, err := runner.LoadCheckpoint(filepath.Join(dir, run.LastFile))
	if err != nil {
		t.Fatal(err)
	}
	if last.State == nil || last.State.Epoch != len(ref.History) {
		t.Errorf("last.npz does not hold the training state after epoch %d", len(ref.History))
	}
	// The settings name their folder; all else is the clean run's.
	a, _ := os.ReadFile(filepath.Join(dir, run.SettingsFile))
	b, _ := os.ReadFile(filepath.Join(want, run.SettingsFile))
	b = bytes.ReplaceAll(b, []byte(filepath.Dir(want)), []byte(filepath.Dir(dir)))
	if !bytes.Equal(a, b) {
		t.Errorf("settings.yaml:\n%s\nwant\n%s", a, b)
	}
	// A folder that held no epoch yet is started afresh, its earlier
	// files kept as .replaced: those may stand beside the run's.
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".replaced") {
			names = append(names, e.Name())
		}
	}
	if want := []string{".lease.2.done", run.BestFile, run.LastFile, run.RecordFile, run.SettingsFile}; !slices.Equal(names, want) {
		t.Errorf("folder holds %v, want %v", names, want)
	}
}

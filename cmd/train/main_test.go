package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets/synthetic"
	"github.com/spikegrad/spikegrad/internal/hostiletest"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// TestMain lets the test binary stand in for the command in subprocesses.
func TestMain(m *testing.M) {
	if os.Getenv(hostiletest.AsCommand) == "1" {
		main()
	}
	if args := os.Getenv("SPIKEGRAD_TRAIN_ARGS"); args != "" {
		os.Args = append([]string{"train"}, strings.Fields(args)...)
		main()
	}
	os.Exit(m.Run())
}

var small = []string{"--randman-classes", "4", "--randman-units", "12", "--randman-samples", "60",
	"--randman-train", "40", "--randman-validation", "10", "--randman-window", "20", "--steps", "40",
	"--hidden", "16", "--batch", "32", "--lr", "0.01"}

func TestTrainsAndReportsTestAccuracy(t *testing.T) {
	var out, errs bytes.Buffer
	args := append(append([]string{}, small...), "--epochs", "2", "--out", t.TempDir(), "--log-format", "json")
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "test accuracy") || !strings.Contains(out.String(), "run folder") {
		t.Errorf("stdout: %s", out.String())
	}
	if !strings.Contains(errs.String(), `"msg":"epoch"`) {
		t.Errorf("want JSON epoch log lines, got %s", errs.String())
	}
}

// A registered neuron model is one flag away: it trains, and its
// checkpoint names it and loads.
func TestTrainsAnotherNeuron(t *testing.T) {
	var out, errs bytes.Buffer
	dir := t.TempDir()
	args := append(append([]string{}, small...), "--neuron", "lif-nosyn", "--epochs", "2", "--out", dir, "--name", "nosyn")
	if code := run(context.Background(), args, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	ck, err := runner.LoadCheckpoint(filepath.Join(dir, "nosyn", "last.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Settings.Neuron != "lif-nosyn" || ck.State == nil || len(ck.State.History) != 2 {
		t.Errorf("checkpoint of neuron %q, state %v", ck.Settings.Neuron, ck.State)
	}
}

func TestBadFlagsExitWithUsageError(t *testing.T) {
	cases := map[string][]string{
		"tau-mem":      {"--tau-mem", "-1"},
		"surrogate":    {"--surrogate", "foo"},
		"batch":        {"--batch", "0"},
		"epochs":       {"--epochs", "x"},
		"no-such-flag": {"--no-such-flag"},
		"argument":     {"stray"},
		"neuron":       {"--neuron", "nosuch"},
	}
	for want, args := range cases {
		var out, errs bytes.Buffer
		if code := run(context.Background(), args, &out, &errs); code != 2 || !strings.Contains(errs.String(), want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message naming %s", args, code, errs.String(), want)
		}
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &out, &errs); code != 0 || !strings.Contains(errs.String(), "-surrogate") {
		t.Errorf("--help: exit %d, %q", code, errs.String())
	}
}

// TestInterruptKeepsCheckpointAndRecord sends SIGINT to a running training
// process: it must exit non-zero and leave a loadable checkpoint and an
// "interrupted" record behind.
func TestInterruptKeepsCheckpointAndRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	args := append(append([]string{}, small...), "--epochs", "500", "--out", out, "--name", "run")
	cmd.Env = append(os.Environ(), "SPIKEGRAD_TRAIN_ARGS="+strings.Join(args, " "))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	record := filepath.Join(out, "run", runs.RecordFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r, err := runs.LoadRecord(record); err == nil && len(r.History) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no epoch finished in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("want exit status 130, got %v", err)
	}
	r, err := runs.LoadRecord(record)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "interrupted" || len(r.History) < 2 || r.History[len(r.History)-1].Epoch >= 500 {
		t.Errorf("record: status %s after %d epochs", r.Status, len(r.History))
	}
	if _, err := runner.LoadCheckpoint(filepath.Join(out, "run", runs.BestFile)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout.String(), "best weights so far") {
		t.Errorf("stdout does not point to the saved weights: %s", stdout.String())
	}
}

// grid is what the "data ready" log line reports about the loaded data.
type grid struct {
	Train, Validation, Test, Inputs, Steps, Classes int
}

// runToTestAccuracy runs the command in-process with JSON logs and checks
// that it exits 0 with a test accuracy line, after loading data of the
// wanted grid and evaluating all of its test samples.
func runToTestAccuracy(t *testing.T, want grid, args ...string) {
	t.Helper()
	args = append(args, "--out", t.TempDir(), "--log-format", "json")
	var out, errs bytes.Buffer
	start := time.Now()
	code := run(context.Background(), args, &out, &errs)
	t.Logf("%v: exit %d after %v", args, code, time.Since(start).Round(time.Millisecond))
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errs.String())
	}
	var got *grid
	sc := bufio.NewScanner(&errs)
	for sc.Scan() {
		var line struct {
			Msg string
			grid
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "data ready" {
			got = &line.grid
		}
	}
	if got == nil || *got != want {
		t.Errorf("data ready: got %+v, want %+v", got, want)
	}
	if line := fmt.Sprintf("%d samples) with the weights of epoch", want.Test); !strings.Contains(out.String(), "test accuracy") || !strings.Contains(out.String(), line) {
		t.Errorf("stdout lacks a test accuracy line on %d samples: %s", want.Test, out.String())
	}
}

// TestTrainsOnEachDataSet trains for two epochs on small synthetic data
// sets written in the published formats of SHD (HDF5), RawHD (FLAC files
// and lists) and RawSC (word folders of WAV files and lists), each through
// the real loader, with the time grid shrunk by --steps and --dt.
func TestTrainsOnEachDataSet(t *testing.T) {
	common := []string{"--epochs", "2", "--hidden", "16", "--batch", "8"}
	for _, tc := range []struct {
		dataset string
		write   func(dir string) error
		grid    []string
		want    grid
	}{
		{"shd", func(dir string) error { return synthetic.WriteSHD(dir, 80, 20, 1) },
			[]string{"--steps", "40", "--dt", "20"}, // 0.8 s in bins of 20 ms
			grid{Train: 72, Validation: 8, Test: 20, Inputs: 700, Steps: 40, Classes: 20}},
		{"ssc", func(dir string) error { return synthetic.WriteSSC(dir, 70, 35, 35, 1) },
			[]string{"--steps", "40", "--dt", "20"},
			grid{Train: 70, Validation: 35, Test: 35, Inputs: 700, Steps: 40, Classes: 35}},
		{"rawhd", func(dir string) error { return synthetic.WriteRawHD(dir, 60, 20, 1) },
			[]string{"--steps", "40"}, // 40 Mel frames 10 ms apart
			grid{Train: 54, Validation: 6, Test: 20, Inputs: 40, Steps: 40, Classes: 20}},
		{"rawsc", func(dir string) error {
			return synthetic.WriteRawSC(dir, []string{"down", "no", "up", "yes"}, 20, 1)
		},
			[]string{"--steps", "50", "--dt", "20"}, // 1 s in 50 frames 20 ms apart
			grid{Train: 64, Validation: 8, Test: 8, Inputs: 40, Steps: 50, Classes: 4}},
	} {
		t.Run(tc.dataset, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Now()
			if err := tc.write(dir); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote the synthetic %s in %v", tc.dataset, time.Since(start).Round(time.Millisecond))
			args := append([]string{"--dataset", tc.dataset, "--data-dir", dir}, common...)
			runToTestAccuracy(t, tc.want, append(args, tc.grid...)...)
		})
	}
}

// TestLimitBelowTheBatch trains on 5 samples with the default batch of
// 100: the batch shrinks (the settings keep what was asked for, the run's
// identity), the record says so, and only the chosen files are
// decoded (the others are corrupt).
func TestLimitBelowTheBatch(t *testing.T) {
	dir := t.TempDir()
	if err := synthetic.WriteRawSC(dir, []string{"no", "yes"}, 20, 1); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	args := []string{"--dataset", "rawsc", "--data-dir", dir, "--no-cache", "--limit", "5", "--epochs", "1", "--hidden", "8",
		"--steps", "20", "--dt", "50", "--out", out, "--name", "run"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	r, err := runs.LoadRecord(filepath.Join(out, "run", runs.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if r.Settings.Batch != 100 || r.Data.Train != 5 || !strings.Contains(strings.Join(r.Data.Notes, "\n"), "batch: 100 is larger than the training split of 5 samples; using 5") {
		t.Errorf("batch %d, train %d, notes %q", r.Settings.Batch, r.Data.Train, r.Data.Notes)
	}
	if !strings.Contains(stderr.String(), "using 5") {
		t.Errorf("the note is not logged: %s", stderr.String())
	}
}

// TestSkipBadFiles trains without a truncated recording when asked to, and
// names it when not.
func TestSkipBadFiles(t *testing.T) {
	dir := t.TempDir()
	if err := synthetic.WriteRawHD(dir, 40, 20, 1); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "audio", "*.flac"))
	b, _ := os.ReadFile(files[3])
	os.WriteFile(files[3], b[:len(b)/3], 0o644)
	bad := filepath.Base(files[3])
	args := []string{"--dataset", "rawhd", "--data-dir", dir, "--epochs", "1", "--hidden", "8", "--batch", "10", "--steps", "20"}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), append(args, "--out", t.TempDir()), &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), bad) || !strings.Contains(stderr.String(), "--skip-bad-files") {
		t.Fatalf("without --skip-bad-files: exit %d, stderr %s", code, stderr.String())
	}
	out := t.TempDir()
	stderr.Reset()
	if code := run(context.Background(), append(args, "--skip-bad-files", "--out", out, "--name", "run"), &stdout, &stderr); code != 0 {
		t.Fatalf("with --skip-bad-files: exit %d, stderr %s", code, stderr.String())
	}
	r, err := runs.LoadRecord(filepath.Join(out, "run", runs.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Settings.SkipBadFiles || len(r.Data.Skipped) != 1 || r.Data.Skipped[0].File != "audio/"+bad || r.Data.Train+r.Data.Validation+r.Data.Test != 59 {
		t.Errorf("record: skip %v, skipped %v, %d+%d+%d samples", r.Settings.SkipBadFiles, r.Data.Skipped, r.Data.Train, r.Data.Validation, r.Data.Test)
	}
	if !strings.Contains(stderr.String(), "skipped 1 of 60") {
		t.Errorf("the skipped file is not logged: %s", stderr.String())
	}
}

// TestTrainsOnMNIST trains briefly on a subset of the real MNIST, which the
// loader takes from the Go module cache (go mod download, which needs the
// module proxy unless the module is cached).
func TestTrainsOnMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("reads MNIST through the go command and the module cache")
	}
	runToTestAccuracy(t, grid{Train: 300, Validation: 300, Test: 300, Inputs: 784, Steps: 100, Classes: 10},
		"--dataset", "mnist", "--limit", "300", "--epochs", "1", "--hidden", "16", "--batch", "50")
}

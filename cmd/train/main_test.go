package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/train"
)

// TestMain lets the test binary stand in for the command in subprocesses.
func TestMain(m *testing.M) {
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

func TestBadFlagsExitWithUsageError(t *testing.T) {
	cases := map[string][]string{
		"tau-mem":      {"--tau-mem", "-1"},
		"surrogate":    {"--surrogate", "foo"},
		"batch":        {"--batch", "0"},
		"epochs":       {"--epochs", "x"},
		"no-such-flag": {"--no-such-flag"},
		"argument":     {"stray"},
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
	record := filepath.Join(out, "run", train.RecordFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r, err := train.LoadRecord(record); err == nil && len(r.History) >= 2 {
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
	r, err := train.LoadRecord(record)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "interrupted" || len(r.History) < 2 || r.History[len(r.History)-1].Epoch >= 500 {
		t.Errorf("record: status %s after %d epochs", r.Status, len(r.History))
	}
	if _, err := train.LoadCheckpoint(filepath.Join(out, "run", train.BestFile)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout.String(), "best weights so far") {
		t.Errorf("stdout does not point to the saved weights: %s", stdout.String())
	}
}

//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
)

// Items 9 and 10 of issue 13: --lr 1e6 trained to chance and exited 0; a
// run that failed listed files it never wrote; its record said "history":
// null. Now the divergence rule stops it in epoch 1, and the last lines
// say what is on disk.
func TestDivergingRunSaysWhatIsOnDisk(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append(append([]string{}, small...), "--epochs", "3", "--lr", "1e6", "--out", out, "--name", "run")
	if code := run(context.Background(), args, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "training diverged") || !strings.Contains(stderr.String(), "smaller learning rate than 1e+06") {
		t.Errorf("stderr: %s", stderr.String())
	}
	dir := filepath.Join(out, "run")
	want := "run folder " + dir + " holds settings.yaml, record.json\nno weights were saved: training stopped before the end of its first epoch\n"
	if stdout.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), want)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "record.json"))
	if !bytes.Contains(raw, []byte(`"history": []`)) || !bytes.Contains(raw, []byte(`"status": "failed"`)) {
		t.Errorf("record:\n%s", raw)
	}
}

// Item 11: --hidden 40000 passed validation and died of "fatal error: out
// of memory". The run's memory is estimated from its settings before
// anything is loaded, and a run that cannot fit is refused at once,
// naming the settings and the estimate.
func TestRunTooLargeForMemoryIsRefused(t *testing.T) {
	var stdout, stderr bytes.Buffer
	start := time.Now()
	args := []string{"--hidden", "40000", "--max-memory", "8G", "--out", t.TempDir()}
	if code := run(context.Background(), args, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, w := range []string{"memory: this run needs about 26.2 GiB, more than the limit of 8 GiB (max-memory)",
		"batch 250 × steps 100 × 40010 neurons", "lower batch, steps or hidden"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr.String())
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusal took %v", d)
	}
}

// The configuration files and checkpoints of the hostile corpus (see
// internal/hostiletest).
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, c := range hostiletest.Cases(t, "train") {
		t.Run(fmt.Sprint(c.Line), func(t *testing.T) {
			t.Parallel()
			hostiletest.Run(t, c, nil)
		})
	}
}

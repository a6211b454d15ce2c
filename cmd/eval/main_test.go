package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// checkpoint trains a small randman network briefly and returns its best
// weights.
func checkpoint(t *testing.T) string {
	t.Helper()
	s := runs.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 3, 10, 40
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 30, 5, 20
	s.Steps, s.Hidden, s.Epochs, s.Batch, s.Out = 40, []int{12}, 1, 30, t.TempDir()
	_, dir, err := runner.Execute(context.Background(), &s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, runs.BestFile)
}

func TestEvaluatesCheckpoint(t *testing.T) {
	ck := checkpoint(t)
	dir := t.TempDir()
	js, snap := filepath.Join(dir, "eval.json"), filepath.Join(dir, "snap.json")
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--checkpoint", ck, "--split", "test", "--json", js, "--snapshot", "2", "--snapshot-out", snap}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !strings.Contains(out.String(), "accuracy") || !strings.Contains(out.String(), "confusion") {
		t.Errorf("report: %s", out.String())
	}
	var r Result
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	total, hits := 0, 0
	for c, row := range r.Confusion {
		for p, v := range row {
			total += v
			if c == p {
				hits += v
			}
		}
	}
	if len(r.Samples) != 15 || total != 15 || float64(hits)/15 != r.Metrics.Accuracy {
		t.Errorf("%d samples, confusion total %d with %d hits, accuracy %v", len(r.Samples), total, hits, r.Metrics.Accuracy)
	}
	var snaps []metrics.Snapshot
	b, _ = os.ReadFile(snap)
	if err := json.Unmarshal(b, &snaps); err != nil || len(snaps) != 2 || len(snaps[0].Membrane[0]) != 40 {
		t.Errorf("snapshot: %v, %d", err, len(snaps))
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("not a zip"), 0o644)
	cases := map[string][]string{
		"--checkpoint is required": {},
		"--split":                  {"--checkpoint", junk, "--split", "dev"},
		"junk.npz":                 {"--checkpoint", junk},
		"missing.npz":              {"--checkpoint", filepath.Join(dir, "missing.npz")},
	}
	for want, args := range cases {
		var out, errs bytes.Buffer
		if code := run(context.Background(), args, &out, &errs); code == 0 || !strings.Contains(errs.String(), want) {
			t.Errorf("%v: exit %d, %q; want a message naming %s", args, code, errs.String(), want)
		}
	}
}

// Issue 23, item 7: --dataset shd on a randman checkpoint evaluated it on
// randman, exit 0, without a word.
func TestDatasetThatContradictsTheCheckpointIsRefused(t *testing.T) {
	ck := checkpoint(t)
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--checkpoint", ck, "--dataset", "shd"}, &out, &errs)
	if code != 2 || !strings.Contains(errs.String(), "--dataset shd") || !strings.Contains(errs.String(), "randman") || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 naming --dataset and the checkpoint's data set", code, out.String(), errs.String())
	}
	// Naming the checkpoint's own data set is no contradiction.
	out.Reset()
	errs.Reset()
	if code := run(context.Background(), []string{"--checkpoint", ck, "--dataset", "randman"}, &out, &errs); code != 0 {
		t.Errorf("--dataset randman: exit %d, %s", code, errs.String())
	}
}

// Issue 23, item 14: the confusion matrix had no header, hidden layers were
// numbered from 0 (cmd/report numbers them from 1), and --snapshot wrote
// snapshot.json into the current folder.
func TestReportIsLabelledAndSnapshotStaysWithTheRun(t *testing.T) {
	ck := checkpoint(t)
	cwd := t.TempDir()
	t.Chdir(cwd)
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--checkpoint", ck, "--snapshot", "2"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	lines := strings.Split(out.String(), "\n")
	if !strings.HasPrefix(lines[1], "hidden layer 1: ") {
		t.Errorf("the first hidden layer is %q, want it numbered 1", lines[1])
	}
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "confusion matrix") })
	if i < 0 || strings.Join(strings.Fields(lines[i+1]), " ") != "predicted: 0 1 2" || strings.Fields(lines[i+2])[0] != "0" {
		t.Errorf("confusion matrix without a header of predicted classes:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(cwd, "snapshot.json")); err == nil {
		t.Error("snapshot.json went into the current folder")
	}
	want := filepath.Join(filepath.Dir(ck), "snapshot.json")
	if _, err := os.Stat(want); err != nil || !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "cmd/report --snapshot") {
		t.Errorf("snapshot: %v; stdout:\n%s", err, out.String())
	}
}

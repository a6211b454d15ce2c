package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestFlagErrors(t *testing.T) {
	bad := map[string][]string{
		"--scale":                      {"--scale", "huge"},
		"--jobs":                       {"--jobs", "0"},
		"--shard":                      {"--shard", "3/3"},
		"--set":                        {"--set", "epochs"},
		"epochz":                       {"--set", "epochz=3", "--dry-run"},
		"--report-only":                {"--report-only", "--no-report"},
		"unexpected":                   {"extra"},
		`sweeps: unknown sweep "fig4"`: {"--sweeps", "fig6-mnist,fig4", "--dry-run"},
		"SPIKEGRAD_SHARD":              {"--dry-run"},
		"(did you mean --scale?)":      {"--sacle", "quick"},
		"--verify: want ≥ 0":           {"--verify", "-1"},
		"--verify trains no plan":      {"--verify", "2", "--report-only"},
	}
	for want, args := range bad {
		getenv := noEnv
		if want == "SPIKEGRAD_SHARD" {
			getenv = func(k string) string {
				if k == "JOB_COMPLETION_INDEX" {
					return "1"
				}
				return ""
			}
		}
		var stderr bytes.Buffer
		if code := run(context.Background(), args, &bytes.Buffer{}, &stderr, getenv); code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%v: code %d, stderr %q, want 2 and %q", args, code, stderr.String(), want)
		}
	}
}

func TestDryRunListsTheSweeps(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--scale", "local", "--dry-run"}, &out, os.Stderr, noEnv); code != 0 {
		t.Fatal("dry run failed")
	}
	for _, want := range []string{"fig3b                  randman   105 runs", "671 runs to do"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	run(context.Background(), []string{"--scale", "local", "--dry-run", "--sweeps", "fig6-mnist, fig9-mnist"}, &out, os.Stderr, noEnv)
	if !strings.Contains(out.String(), "fig6-mnist             mnist      16 runs") || !strings.Contains(out.String(), "30 runs to do") {
		t.Errorf("--sweeps fig6-mnist,fig9-mnist:\n%s", out.String())
	}
	out.Reset()
	run(context.Background(), []string{"--scale", "paper", "--dry-run", "--shard", "1/4"}, &out, os.Stderr, noEnv)
	if !strings.Contains(out.String(), "272 runs to do") {
		t.Errorf("shard 1/4 of 1087 runs:\n%s", out.String())
	}
}

// TestSmokeTestScale runs the whole pipeline at the test scale: every
// sweep of the quick preset on tiny data for one epoch, then the report.
func TestSmokeTestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 100 tiny networks")
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--scale", "test", "--out", out, "--jobs", "2", "--log-format", "json"}, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("code %d: %s", code, stderr.String())
	}
	// Test binaries carry no commit, so the records will not name one: the
	// command says so before training.
	if !strings.Contains(stderr.String(), "does not carry its commit") {
		t.Error("no note that the records will not name their commit")
	}
	readme, err := os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Status: 100 of 100 runs complete", "go run ./cmd/reproduce --scale test --out " + out, "| **all** | | **100** | **100** |"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
	figs, _ := filepath.Glob(filepath.Join(out, "figures", "*.png"))
	if len(figs) < 17 {
		t.Errorf("%d figures: %v\n%s", len(figs), figs, stdout.String())
	}
	for _, f := range figs {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(fh); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		fh.Close()
	}
	// Three of the runs, retrained from their records, give the same
	// numbers bit for bit.
	stdout.Reset()
	if code := run(context.Background(), []string{"--scale", "test", "--out", out, "--verify", "3"}, &stdout, &stderr, noEnv); code != 0 ||
		!strings.Contains(stdout.String(), "3 of 3 runs retrained gave their recorded numbers bit for bit") {
		t.Errorf("verify: code %d\n%s", code, stdout.String())
	}
	// A second invocation trains nothing and rewrites the same table.
	before, _ := os.ReadFile(filepath.Join(out, "findings.csv"))
	stdout.Reset()
	if code := run(context.Background(), []string{"--scale", "test", "--out", out, "--jobs", "2"}, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("second pass: code %d", code)
	}
	after, _ := os.ReadFile(filepath.Join(out, "findings.csv"))
	if !bytes.Equal(before, after) {
		t.Error("the second pass changed the findings")
	}
	// A fresh clone of committed results: records without checkpoints.
	// It trains nothing again but the two networks Fig. 8 draws, into
	// verify/, checked against their records, and draws the same findings.
	cks, _ := filepath.Glob(filepath.Join(out, "runs", "*", "*", "*.npz"))
	for _, ck := range cks {
		if err := os.Remove(ck); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(filepath.Join(out, "verify"))
	os.Remove(filepath.Join(out, "figures", "fig8a_unregularised.png"))
	stdout.Reset()
	if code := run(context.Background(), []string{"--scale", "test", "--out", out, "--jobs", "2"}, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("fresh clone: code %d\n%s", code, stderr.String())
	}
	if n := strings.Count(stdout.String(), "for its weights, identical to its record: true"); n != 2 {
		t.Errorf("fresh clone: %d networks retrained for Fig. 8, want 2:\n%s", n, stdout.String())
	}
	if again, _ := filepath.Glob(filepath.Join(out, "runs", "*", "*", "*.npz")); len(again) != 0 {
		t.Errorf("fresh clone: %d runs trained again", len(again))
	}
	if _, err := os.Stat(filepath.Join(out, "figures", "fig8a_unregularised.png")); err != nil {
		t.Errorf("fresh clone: Fig. 8a not drawn: %v", err)
	}
	if fresh, _ := os.ReadFile(filepath.Join(out, "findings.csv")); !bytes.Equal(before, fresh) {
		t.Error("the fresh clone changed the findings")
	}
	// A record whose numbers were altered fails the check (exit 1); the
	// first run in path order is the one --verify 1 retrains.
	records, _ := filepath.Glob(filepath.Join(out, "runs", "*", "*", "record.json"))
	slices.Sort(records)
	raw, err := os.ReadFile(records[0])
	if err != nil {
		t.Fatal(err)
	}
	altered := strings.Replace(string(raw), `"loss": `, `"loss": 1`, 1) // a longer number: another loss
	if altered == string(raw) {
		t.Fatal("no loss in the record")
	}
	if err := os.WriteFile(records[0], []byte(altered), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"--scale", "test", "--out", out, "--verify", "1"}, &stdout, &stderr, noEnv); code != 1 ||
		!strings.Contains(stdout.String(), "DIFFERS") || !strings.Contains(stdout.String(), "0 of 1 runs retrained") {
		t.Errorf("verify of an altered record: code %d\n%s", code, stdout.String())
	}
}

// TestOutErrors: an --out that is a file, or a --report-only folder with
// no runs in it (a mistyped path), is refused before anything is trained
// or written, naming the flag.
func TestOutErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "typo")
	for _, args := range [][]string{
		{"--scale", "test", "--out", file, "--jobs", "1"},
		{"--scale", "test", "--out", filepath.Join(file, "below"), "--jobs", "1"},
		{"--scale", "test", "--out", empty, "--report-only"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr, noEnv)
		if code != 2 || !strings.Contains(stderr.String(), "--out") || strings.Count(stderr.String(), "\n") != 1 || stdout.Len() != 0 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want 2 and one line naming --out", args, code, stdout.String(), stderr.String())
		}
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("--report-only created %s", empty)
	}
}

// Issue 23, item 8: in an irregular Slurm array (--array=1,3,5) reproduce
// advised "(no --shard)" when none was given, and still refused. Without
// --shard, each task now works through the whole plan as one of the
// reproductions sharing --out, and says so.
func TestIrregularArrayWithoutShardRunsAsWorker(t *testing.T) {
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "5", "SLURM_ARRAY_TASK_COUNT": "3"}
	getenv := func(k string) string { return env[k] }
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--scale", "local", "--dry-run"}, &out, &errs, getenv)
	if code != 0 || !strings.Contains(out.String(), "671 runs to do") || strings.Contains(errs.String(), "no --shard") ||
		!strings.Contains(errs.String(), "not a regular range") || !strings.Contains(errs.String(), "whole plan") {
		t.Errorf("exit %d, stdout %q, stderr %q; want the whole plan and a note", code, out.String(), errs.String())
	}
	// An explicit --shard still decides.
	out.Reset()
	errs.Reset()
	if code := run(context.Background(), []string{"--scale", "paper", "--dry-run", "--shard", "1/4"}, &out, &errs, getenv); code != 0 || !strings.Contains(out.String(), "272 runs to do") {
		t.Errorf("--shard 1/4 in an irregular array: exit %d, %s%s", code, out.String(), errs.String())
	}
}

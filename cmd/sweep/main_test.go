package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

func TestMain(m *testing.M) {
	// The test binary stands in for the command in subprocesses: with
	// SPIKEGRAD_AS_COMMAND=1 its own arguments are the command's.
	if os.Getenv(hostiletest.AsCommand) == "1" {
		main()
	}
	if args := os.Getenv("SPIKEGRAD_SWEEP_ARGS"); args != "" {
		os.Args = append([]string{"sweep"}, strings.Fields(args)...)
		main()
	}
	os.Exit(m.Run())
}

func noEnv(string) string { return "" }

// TestShardsAsProcessesMerge runs the smoke preset as three shard
// processes into separate folders, copies them together, and checks that
// the merged folder holds exactly the runs of the whole grid.
func TestShardsAsProcessesMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	var list bytes.Buffer
	if code := run(context.Background(), []string{"--preset", "smoke", "--dry-run"}, &list, os.Stderr, noEnv); code != 0 {
		t.Fatal("dry run failed")
	}
	want := strings.Fields(list.String())
	root := t.TempDir()
	merged := filepath.Join(root, "merged")
	for i := 0; i < 3; i++ {
		out := filepath.Join(root, "shard", string(rune('0'+i)))
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "SPIKEGRAD_SWEEP_ARGS=--preset smoke --jobs 1 --out "+out,
			"JOB_COMPLETION_INDEX="+string(rune('0'+i)), "SPIKEGRAD_SHARDS=3")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, b)
		}
		if err := exec.Command("cp", "-r", out+"/.", merged).Run(); err != nil {
			os.MkdirAll(merged, 0o755)
			if err := exec.Command("cp", "-r", out+"/.", merged).Run(); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(merged)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Name() == sweep.IDsDir {
			continue // the workers' leases on run IDs
		}
		if !runs.Completed(filepath.Join(merged, e.Name())) {
			t.Errorf("%s is not completed", e.Name())
		}
		got = append(got, e.Name())
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("merged runs %v, want %v", got, want)
	}
	// The merged sweep is complete: rerunning it trains nothing.
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--preset", "smoke", "--out", merged}, &out, &out, noEnv); code != 0 || strings.Count(out.String(), "skipped") != len(want) {
		t.Errorf("rerun on the merged folder: exit %d\n%s", code, out.String())
	}
}

func TestBadArguments(t *testing.T) {
	cases := map[string][]string{
		"--shard":              {"--shard", "3/3"},
		"--shard env: neither": {"--shard", "env"},
		"--jobs":               {"--jobs", "0"},
		"--preset":             {"--preset", "nope"},
		"--set":                {"--set", "lr"},
		"lrr":                  {"--set", "lrr=1"},
		"--grid":               {"--grid", "beta="},
		"--file":               {"--file", "/no/such.yaml"},
		"--lease: want 1s to":  {"--lease", "48h"},
	}
	for want, args := range cases {
		var out, errs bytes.Buffer
		if code := run(context.Background(), append(args, "--dry-run"), &out, &errs, noEnv); code == 0 || !strings.Contains(errs.String(), want) {
			t.Errorf("%v: exit %d, %q; want an error naming %s", args, code, errs.String(), want)
		}
	}
}

// TestOutThatIsAFile: an --out that cannot be a folder is refused with one
// line naming the flag, before the sweep starts or reports on runs.
func TestOutThatIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	code := run(context.Background(), []string{"--preset", "smoke", "--out", file, "--jobs", "1"}, &out, &errs, noEnv)
	if code != 2 || !strings.HasPrefix(errs.String(), "sweep: --out: ") || strings.Count(errs.String(), "\n") != 1 || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line naming --out", code, out.String(), errs.String())
	}
}

// TestNotesAnUnstampedBuild: test binaries carry no commit, so the
// sweep's records will not name one, and the sweep says so.
func TestNotesAnUnstampedBuild(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--preset", "smoke", "--out", t.TempDir(), "--jobs", "2"}, &out, &errs, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if !strings.Contains(errs.String(), "does not carry its commit") {
		t.Errorf("no note about the commit:\n%s", errs.String())
	}
}

// TestRecordsSufficeKeepsCommittedRuns: a clone of committed results holds
// completed records without their checkpoints; with --records-suffice a
// rerun trains none of them again.
func TestRecordsSufficeKeepsCommittedRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the smoke preset")
	}
	out := filepath.Join(t.TempDir(), "sweep")
	var b bytes.Buffer
	if code := run(context.Background(), []string{"--preset", "smoke", "--jobs", "1", "--out", out}, &b, &b, noEnv); code != 0 {
		t.Fatalf("first pass: exit %d\n%s", code, b.String())
	}
	cks, _ := filepath.Glob(filepath.Join(out, "*", "*.npz"))
	if len(cks) == 0 {
		t.Fatal("the first pass wrote no checkpoints")
	}
	for _, ck := range cks {
		if err := os.Remove(ck); err != nil {
			t.Fatal(err)
		}
	}
	b.Reset()
	if code := run(context.Background(), []string{"--preset", "smoke", "--jobs", "1", "--out", out, "--records-suffice"}, &b, &b, noEnv); code != 0 {
		t.Fatalf("second pass: exit %d\n%s", code, b.String())
	}
	if !strings.Contains(b.String(), ": 0 trained here, 4 already completed") {
		t.Errorf("second pass trained runs again:\n%s", b.String())
	}
	if again, _ := filepath.Glob(filepath.Join(out, "*", "*.npz")); len(again) != 0 {
		t.Errorf("second pass wrote %d checkpoints", len(again))
	}
}

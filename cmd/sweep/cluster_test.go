//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// The tests here run the sweep as real processes: the test binary stands
// in for the command (SPIKEGRAD_AS_COMMAND=1), started directly or through
// docs/cluster/slurm-sweep.sh with the environment Slurm gives each task.

var script, _ = filepath.Abs("../../docs/cluster/slurm-sweep.sh")

// tinySweep writes a sweep file of n tiny randman runs of the given epochs.
func tinySweep(t *testing.T, n, epochs int) string {
	t.Helper()
	seeds := make([]string, n)
	for i := range seeds {
		seeds[i] = fmt.Sprint(i + 1)
	}
	doc := fmt.Sprintf(`name: tiny
base: {randman-classes: 3, randman-units: 8, randman-samples: 40, randman-train: 24, randman-validation: 8,
       randman-window: 15, steps: 30, hidden: [6], epochs: %d, batch: 12}
grid:
  seed: [%s]
`, epochs, strings.Join(seeds, ", "))
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sweepEnv is the environment of a subprocess: this one's, without any
// Slurm or Kubernetes variables and without Go on the PATH.
func sweepEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SLURM_") || strings.HasPrefix(k, "SPIKEGRAD_") || k == "JOB_COMPLETION_INDEX" || k == "PATH" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH=/usr/bin:/bin", hostiletest.AsCommand+"=1", "GOMAXPROCS=1")
	return append(env, extra...)
}

// completions counts the "run completed" lines per run in JSON logs.
func completions(t *testing.T, logs ...[]byte) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, l := range logs {
		sc := bufio.NewScanner(bytes.NewReader(l))
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			if m["msg"] == "run completed" {
				n[m["run"].(string)]++
			}
		}
	}
	return n
}

// plannedRuns lists the runs of a sweep file.
func plannedRuns(t *testing.T, file string) []string {
	t.Helper()
	var list bytes.Buffer
	if code := run(context.Background(), []string{"--file", file, "--dry-run"}, &list, os.Stderr, noEnv); code != 0 {
		t.Fatal("dry run failed")
	}
	return strings.Fields(list.String())
}

// checkExactlyOnce checks that every run of file is completed in out and
// was completed by exactly one worker.
func checkExactlyOnce(t *testing.T, label, file, out string, logs ...[]byte) {
	t.Helper()
	done := completions(t, logs...)
	for _, name := range plannedRuns(t, file) {
		if !runs.Completed(filepath.Join(out, name)) {
			t.Errorf("%s: %s is not completed", label, name)
		}
		if done[name] != 1 {
			t.Errorf("%s: %s completed %d times", label, name, done[name])
		}
	}
}

// Items 1–3 of issue 13: the Slurm script wrote to a new folder at every
// submission (resubmitting retrained everything), died without --array on
// an unbound variable, and built the command with go in every task. It
// now runs a prebuilt binary (no go on the PATH here) into one folder per
// job name, with or without an array; a resubmission trains nothing.
func TestSlurmScriptResubmitsIntoOneFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	file := tinySweep(t, 2, 1)
	submit := t.TempDir()
	for i, env := range [][]string{
		{"SLURM_JOB_ID=101"}, // sbatch without --array
		{"SLURM_JOB_ID=205", "SLURM_ARRAY_JOB_ID=200", "SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=1", "SLURM_ARRAY_TASK_MIN=3", "SLURM_ARRAY_TASK_MAX=3"},
	} {
		cmd := exec.Command("bash", script, "--file", file, "--log-format", "json")
		cmd.Env = sweepEnv(append(env, "SPIKEGRAD_BIN="+os.Args[0], "SLURM_SUBMIT_DIR="+submit, "SLURM_JOB_NAME=spikegrad-sweep")...)
		cmd.Dir = submit
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("submission %d: %v\n%s", i, err, stderr.String())
		}
		trained := len(completions(t, stderr.Bytes()))
		if want := []int{2, 0}[i]; trained != want || (i == 1 && strings.Count(stderr.String(), "already completed") != 2) {
			t.Errorf("submission %d trained %d runs, want %d:\n%s", i, trained, want, stderr.String())
		}
	}
	entries, err := os.ReadDir(filepath.Join(submit, "sweeps", "spikegrad-sweep"))
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == sweep.IDsDir })
	if err != nil || len(entries) != 2 {
		t.Errorf("sweeps/spikegrad-sweep holds %d entries (%v), want the 2 runs", len(entries), err)
	}
	// Without a binary the script says how to build one.
	cmd := exec.Command("bash", script, "--file", file)
	cmd.Env = sweepEnv("SLURM_SUBMIT_DIR=" + t.TempDir())
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "CGO_ENABLED=0 go build -o bin/spikegrad-sweep ./cmd/sweep") {
		t.Errorf("without a binary: %v\n%s", err, b)
	}
}

// Item 2: arrays that are not 0…n−1 lost runs (--array=0-7:2 failed
// "shard 4/4", --array=1,3 ran half). Every task is now a worker of the
// whole sweep: each array shape, and no array, trains every run exactly
// once.
func TestAnySlurmArrayTrainsEveryRunOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	file := tinySweep(t, 5, 1)
	arrays := map[string][]int{"0-7:2": {0, 2, 4, 6}, "1,3": {1, 3}, "5-8": {5, 6, 7, 8}, "none": nil}
	for spec, tasks := range arrays {
		out := filepath.Join(t.TempDir(), "out")
		var envs [][]string
		if tasks == nil {
			envs = [][]string{{"SLURM_JOB_ID=77"}}
		}
		for _, id := range tasks {
			envs = append(envs, []string{"SLURM_JOB_ID=" + fmt.Sprint(900+id), "SLURM_ARRAY_JOB_ID=900", "SLURM_ARRAY_TASK_ID=" + fmt.Sprint(id),
				"SLURM_ARRAY_TASK_COUNT=" + fmt.Sprint(len(tasks)), "SLURM_ARRAY_TASK_MIN=" + fmt.Sprint(tasks[0]),
				"SLURM_ARRAY_TASK_MAX=" + fmt.Sprint(tasks[len(tasks)-1])})
		}
		logs := make([][]byte, len(envs))
		var wg sync.WaitGroup
		for i, env := range envs {
			wg.Add(1)
			go func(i int, env []string) {
				defer wg.Done()
				cmd := exec.Command("bash", script, "--file", file, "--log-format", "json", "--lease", "1m")
				cmd.Env = sweepEnv(append(env, "SPIKEGRAD_BIN="+os.Args[0], "SPIKEGRAD_OUT="+out, "SLURM_CPUS_PER_TASK=1")...)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					t.Errorf("array %s, task %d: %v\n%s", spec, i, err, stderr.String())
				}
				logs[i] = stderr.Bytes()
			}(i, env)
		}
		wg.Wait()
		checkExactlyOnce(t, "array "+spec, file, out, logs...)
		if tasks != nil && !bytes.Contains(bytes.Join(logs, nil), []byte(`"worker":"slurm job 900 task `+fmt.Sprint(tasks[0])+`"`)) {
			t.Errorf("array %s: the logs do not name the worker", spec)
		}
	}
}

// Three workers start at different times; the first is killed (kill -9)
// in the middle of a run. The others take its run over from its last
// checkpoint, and every run ends completed exactly once.
func TestKilledWorkersRunIsTakenOver(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const epochs = 20
	file := tinySweep(t, 4, epochs)
	out := filepath.Join(t.TempDir(), "out")
	start := func(name string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(os.Args[0], "--file", file, "--out", out, "--jobs", "1", "--log-format", "json", "--worker", name, "--lease", "1m")
		cmd.Env = sweepEnv()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &stderr
	}
	victim, _ := start("w1")
	// Kill w1 once it holds a run with a finished epoch in last.npz.
	var held string
	deadline := time.Now().Add(60 * time.Second)
	for held == "" && time.Now().Before(deadline) {
		filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasPrefix(d.Name(), ".lease.") && !strings.HasSuffix(d.Name(), ".done") {
				b, _ := os.ReadFile(path)
				dir := filepath.Dir(path)
				if bytes.Contains(b, []byte(`"worker":"w1"`)) && len(runs.Files(dir, runs.LastFile)) == 1 {
					held = dir
				}
			}
			return nil
		})
		time.Sleep(20 * time.Millisecond)
	}
	if held == "" {
		victim.Process.Kill()
		t.Fatal("w1 never held a run with a checkpoint")
	}
	victim.Process.Signal(syscall.SIGKILL)
	victim.Wait()
	if runs.Completed(held) {
		t.Fatalf("the kill landed after the run in %s ended: the test exercised nothing", held)
	}
	w2, log2 := start("w2")
	time.Sleep(300 * time.Millisecond)
	w3, log3 := start("w3")
	for _, w := range []*exec.Cmd{w2, w3} {
		if err := w.Wait(); err != nil {
			t.Errorf("%v: %v\n%s\n%s", w.Args, err, log2, log3)
		}
	}
	checkExactlyOnce(t, "killed worker", file, out, log2.Bytes(), log3.Bytes())
	rec, err := runs.LoadRecord(filepath.Join(held, runs.RecordFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Resumes) != 1 || !rec.Resumes[0].Exact || rec.Resumes[0].Epoch < 1 || len(rec.History) != epochs {
		t.Errorf("the run of the killed worker: resumes %+v, %d epochs", rec.Resumes, len(rec.History))
	}
	for i, e := range rec.History {
		if e.Epoch != i+1 {
			t.Errorf("history holds epoch %d at %d", e.Epoch, i+1)
		}
	}
	if !bytes.Contains(append(log2.Bytes(), log3.Bytes()...), []byte("resumed_at_epoch")) {
		t.Error("no worker reports resuming the killed worker's run")
	}
}

// The sweep files of the hostile corpus (see internal/hostiletest).
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, c := range hostiletest.Cases(t, "sweep") {
		t.Run(fmt.Sprint(c.Line), func(t *testing.T) {
			t.Parallel()
			hostiletest.Run(t, c, nil)
		})
	}
}

// Item 4 of issue 13: every output file was mode 0600, so a colleague's
// report read "0 completed runs; 8 unreadable record files", and sweeps/
// and slurm-*.out landed in the checkout unignored. Under the Slurm
// script, even with a user's umask of 077, everything a sweep writes is
// readable by the group and others; git ignores the outputs.
func TestSweepOutputsAreReadableAndIgnored(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	file := tinySweep(t, 1, 1)
	out := filepath.Join(t.TempDir(), "out")
	old := syscall.Umask(0o077)
	cmd := exec.Command("bash", script, "--file", file)
	cmd.Env = sweepEnv("SPIKEGRAD_BIN="+os.Args[0], "SPIKEGRAD_OUT="+out, "SLURM_JOB_ID=1")
	b, err := cmd.CombinedOutput()
	syscall.Umask(old)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	n := 0
	filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		want := fs.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %03o, want %03o", path, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if n < 6 {
		t.Errorf("only %d files and folders written", n)
	}
	ignore, err := os.ReadFile("../../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"/sweeps/", "slurm-*.out", "/bin/", "/runs/"} {
		if !strings.Contains("\n"+string(ignore), "\n"+pattern+"\n") {
			t.Errorf(".gitignore does not list %s", pattern)
		}
	}
}

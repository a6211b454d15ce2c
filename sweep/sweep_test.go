package sweep_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

const sweepDoc = `
sweeps:
  - name: a
    base: {epochs: 2, hidden: [8]}
    grid:
      surrogate: [superspike, esser]
      beta: [1, 10, 100]
  - name: b
    grid:
      seed: [1, 2]
    variants:
      - {hidden: []}
      - {hidden: [30, 20], recurrent: true}
`

func TestSweepExpansion(t *testing.T) {
	sweeps, err := sweep.ParseSweeps([]byte(sweepDoc))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 6+4 {
		t.Fatalf("%d runs, want 10", len(jobs))
	}
	first, last := jobs[0], jobs[5]
	if !strings.HasPrefix(first.Name, "a_surrogate=superspike_beta=1-") || first.Name != first.Settings.Name ||
		first.Name[len(first.Name)-12:] != first.ID[:12] || first.Settings.Epochs != 2 || first.Settings.Beta != 1 || first.Settings.Hidden[0] != 8 {
		t.Errorf("first run %s: %+v", first.Name, first.Settings)
	}
	if last.Settings.Surrogate != "esser" || last.Settings.Beta != 100 {
		t.Errorf("sixth run %s", last.Name)
	}
	deep := jobs[9]
	if len(deep.Settings.Hidden) != 2 || !deep.Settings.Recurrent || deep.Settings.Seed != 2 || len(jobs[6].Settings.Hidden) != 0 {
		t.Errorf("variant runs: %s %+v", deep.Name, deep.Settings)
	}
	names := map[string]bool{}
	for _, j := range jobs {
		if names[j.Name] {
			t.Errorf("duplicate run name %s", j.Name)
		}
		names[j.Name] = true
	}
}

func TestSweepErrors(t *testing.T) {
	bad := map[string]string{
		"grid:\n  lrr: [1]\n":                 `unknown setting "lrr"`,
		"grid:\n  lr: 0.1\n":                  "list",
		"base: {epochs: 0}\n":                 "epochs",
		"colour: red\n":                       `unknown key "colour"`,
		"grid:\n  surrogate: [superspike, x]": "surrogate",
	}
	for doc, want := range bad {
		sw, err := sweep.ParseSweeps([]byte(doc))
		if err == nil {
			_, err = sweep.Jobs(run.DefaultSettings("randman"), sw)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error naming %s, got %v", doc, want, err)
		}
	}
}

// TestShardsPartitionTheGrid: the shards of a grid are disjoint and
// together hold every run, whatever the shard count.
func TestShardsPartitionTheGrid(t *testing.T) {
	sweeps, _ := sweep.ParseSweeps([]byte(sweepDoc))
	jobs, _ := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	for n := 1; n <= 12; n++ {
		var all []string
		for i := 0; i < n; i++ {
			part, err := sweep.Shard(jobs, i, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range part {
				all = append(all, j.Name)
			}
		}
		sort.Strings(all)
		if len(all) != len(jobs) {
			t.Fatalf("%d shards hold %d runs, want %d", n, len(all), len(jobs))
		}
		for k := 1; k < len(all); k++ {
			if all[k] == all[k-1] {
				t.Fatalf("%d shards: %s twice", n, all[k])
			}
		}
	}
	if _, err := sweep.Shard(jobs, 3, 3); err == nil {
		t.Error("shard 3/3: want an error")
	}
}

// TestSweepSkipsCompletedRuns runs a preset twice: the second time every
// run is skipped, and a run whose record was lost is redone.
func TestSweepSkipsCompletedRuns(t *testing.T) {
	_, sweeps, err := sweep.Preset("smoke")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	count := func() (ran, skipped int) {
		err := sweep.Execute(context.Background(), jobs, out, 2, nil, func(o sweep.Outcome) {
			if o.Err != nil {
				t.Error(o.Err)
			}
			if o.Skipped {
				skipped++
			} else {
				ran++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if ran, _ := count(); ran != len(jobs) {
		t.Fatalf("first pass ran %d of %d", ran, len(jobs))
	}
	os.Remove(filepath.Join(out, jobs[1].Name, run.RecordFile))
	if ran, skipped := count(); ran != 1 || skipped != len(jobs)-1 {
		t.Errorf("second pass ran %d, skipped %d", ran, skipped)
	}
}

// TestPresetsExpand: every built-in preset parses and all its runs have
// valid settings.
func TestPresetsExpand(t *testing.T) {
	for _, name := range sweep.PresetNames() {
		_, sweeps, err := sweep.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
		if err != nil || len(jobs) == 0 {
			t.Errorf("preset %s: %d runs, %v", name, len(jobs), err)
		}
	}
}

// Item 2 of issue 13: --array=0-7:2 failed "shard 4/4", --array=1,3 ran
// half, and the error named no variable. A static shard is now the task's
// rank in a regular array; an irregular one is refused naming the
// variables (workers that share a folder need no shard).
func TestShardFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	slurm := func(id, lo, hi, step, count string) map[string]string {
		return map[string]string{"SLURM_ARRAY_TASK_ID": id, "SLURM_ARRAY_TASK_MIN": lo, "SLURM_ARRAY_TASK_MAX": hi,
			"SLURM_ARRAY_TASK_STEP": step, "SLURM_ARRAY_TASK_COUNT": count}
	}
	cases := []struct {
		env  map[string]string
		i, n int
		ok   bool
	}{
		{map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "8"}, 4, 8, true},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}, 4, 8, true},
		{slurm("6", "0", "6", "2", "4"), 3, 4, true}, // --array=0-7:2
		{slurm("3", "1", "3", "2", "2"), 1, 2, true}, // --array=1,3
		{slurm("5", "5", "8", "1", "4"), 0, 4, true}, // --array=5-8
		{map[string]string{"JOB_COMPLETION_INDEX": "2", "SPIKEGRAD_SHARDS": "5"}, 2, 5, true},
		{map[string]string{}, 0, 0, false},
	}
	for _, c := range cases {
		i, n, ok, err := sweep.ShardFromEnv(env(c.env))
		if err != nil || i != c.i || n != c.n || ok != c.ok {
			t.Errorf("%v: got %d/%d %v %v", c.env, i, n, ok, err)
		}
	}
	// --array=1,2,5: task 5 cannot know it is the third.
	_, _, _, err := sweep.ShardFromEnv(env(slurm("5", "1", "5", "1", "3")))
	if err == nil || !strings.Contains(err.Error(), "SLURM_ARRAY_TASK_ID=5") || !strings.Contains(err.Error(), "not a regular range") {
		t.Errorf("irregular array: %v", err)
	}
	if _, _, _, err := sweep.ShardFromEnv(env(map[string]string{"JOB_COMPLETION_INDEX": "2"})); err == nil || !strings.Contains(err.Error(), "SPIKEGRAD_SHARDS") {
		t.Errorf("JOB_COMPLETION_INDEX without SPIKEGRAD_SHARDS: %v", err)
	}
}

package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard returns the runs of shard i of n: every n-th run starting at i.
// Shards of one grid are disjoint and together hold every run. Workers that
// share the sweep's folder need no shards (see Work); shards are for
// machines that cannot share one, whose folders are copied together
// afterwards.
func Shard(runs []Job, i, n int) ([]Job, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("shard %d/%d: want 0 ≤ i < n", i, n)
	}
	var out []Job
	for k := i; k < len(runs); k += n {
		out = append(out, runs[k])
	}
	return out, nil
}

// IrregularArrayError reports a Slurm job array whose tasks cannot tell
// their shard from their environment.
type IrregularArrayError struct {
	Vars string // the array's variables as NAME=value, space-separated
}

func (e *IrregularArrayError) Error() string {
	return e.Vars + ": the job array is not a regular range, so a task cannot tell its shard; " +
		"run the tasks as workers of one output folder instead (no --shard)"
}

// ShardFromEnv reads a static shard assignment from a Slurm job array or a
// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the shard count in
// SPIKEGRAD_SHARDS); ok is false when neither is set. Workers that share
// the sweep's folder need none of this (see Work).
//
// A Slurm task's shard is its rank in the array: (SLURM_ARRAY_TASK_ID −
// SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP of SLURM_ARRAY_TASK_COUNT
// tasks, so --array=0-7:2 gives shards 0…3 of 4 and --array=5-8 shards 0…3
// of 4. An array that is not a regular range (--array=1,2,5, or a
// resubmission of some of its tasks) cannot be sharded this way: each task
// sees only its own ID, not the others'. That is an error naming the
// variables, an *IrregularArrayError.
func ShardFromEnv(getenv func(string) string) (i, n int, ok bool, err error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		vars := []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT"}
		vals := map[string]int{}
		var desc []string
		for _, v := range vars {
			s := getenv(v)
			desc = append(desc, v+"="+s)
			if s == "" {
				continue
			}
			x, err := strconv.Atoi(s)
			if err != nil {
				return 0, 0, false, fmt.Errorf("%s: want an integer, got %q", v, s)
			}
			vals[v] = x
		}
		at := func(v string, def int) int {
			if x, ok := vals[v]; ok {
				return x
			}
			return def
		}
		count, ok := vals["SLURM_ARRAY_TASK_COUNT"]
		if !ok || count < 1 {
			return 0, 0, false, fmt.Errorf("%s: want SLURM_ARRAY_TASK_COUNT ≥ 1", strings.Join(desc, " "))
		}
		lo, step := at("SLURM_ARRAY_TASK_MIN", 0), at("SLURM_ARRAY_TASK_STEP", 1)
		hi := at("SLURM_ARRAY_TASK_MAX", lo+(count-1)*step)
		task := vals["SLURM_ARRAY_TASK_ID"]
		if step < 1 || (hi-lo)%step != 0 || (hi-lo)/step+1 != count || task < lo || task > hi || (task-lo)%step != 0 {
			return 0, 0, false, &IrregularArrayError{Vars: strings.Join(desc, " ")}
		}
		return (task - lo) / step, count, true, nil
	}
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		i, err = strconv.Atoi(idx)
		if err == nil {
			n, err = strconv.Atoi(getenv("SPIKEGRAD_SHARDS"))
		}
		if err != nil || n < 1 || i < 0 || i >= n {
			return 0, 0, false, fmt.Errorf("JOB_COMPLETION_INDEX=%s SPIKEGRAD_SHARDS=%s: want 0 ≤ index < shards", idx, getenv("SPIKEGRAD_SHARDS"))
		}
		return i, n, true, nil
	}
	return 0, 0, false, nil
}

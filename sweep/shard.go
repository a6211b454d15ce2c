package sweep

import (
	"fmt"
	"strconv"
)

// Shard returns the runs of shard i of n: every n-th run starting at i.
// Shards of one grid are disjoint and together hold every run.
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

// ShardFromEnv reads a shard assignment from a Slurm job array
// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN) or a
// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the shard count in
// SPIKEGRAD_SHARDS). ok is false when neither is set.
func ShardFromEnv(getenv func(string) string) (i, n int, ok bool, err error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		i, err = strconv.Atoi(id)
		if err == nil && getenv("SLURM_ARRAY_TASK_MIN") != "" {
			var lo int
			lo, err = strconv.Atoi(getenv("SLURM_ARRAY_TASK_MIN"))
			i -= lo
		}
		if err == nil {
			n, err = strconv.Atoi(getenv("SLURM_ARRAY_TASK_COUNT"))
		}
		if err != nil {
			return 0, 0, false, fmt.Errorf("SLURM_ARRAY_TASK_ID/COUNT/MIN: %w", err)
		}
		return i, n, true, nil
	}
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		i, err = strconv.Atoi(idx)
		if err == nil {
			n, err = strconv.Atoi(getenv("SPIKEGRAD_SHARDS"))
		}
		if err != nil {
			return 0, 0, false, fmt.Errorf("JOB_COMPLETION_INDEX/SPIKEGRAD_SHARDS: %w", err)
		}
		return i, n, true, nil
	}
	return 0, 0, false, nil
}

package sweep

import "fmt"

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

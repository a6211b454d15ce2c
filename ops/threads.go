package ops

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/opkit"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// SetThreads bounds the goroutines that the kernels of the ops built in g
// from now on use to n (the caller's included). n = 1 keeps every kernel on
// the goroutine that runs the machine, for callers that run several
// machines at once, one per core; n = 0 restores the default, GOMAXPROCS.
// Each bounded graph has helpers of its own, so machines of different
// graphs never wait for each other's.
func SetThreads(g *G.ExprGraph, n int) error {
	if n < 0 {
		return fmt.Errorf("ops.SetThreads: %d threads, want ≥ 0", n)
	}
	if n == 0 {
		opkit.SetWorkers(g, nil)
		return nil
	}
	opkit.SetWorkers(g, parallel.New(n))
	return nil
}

package ops

import (
	"fmt"
	"runtime"
	"sync"
	"weak"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// graphWorkers maps graphs to the Workers SetThreads gave them; entries go
// with their graphs.
var graphWorkers sync.Map // weak.Pointer[G.ExprGraph] → *parallel.Workers

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
	key := weak.Make(g)
	if n == 0 {
		graphWorkers.Delete(key)
		return nil
	}
	if _, loaded := graphWorkers.Swap(key, parallel.New(n)); !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[G.ExprGraph]) { graphWorkers.Delete(k) }, key)
	}
	return nil
}

// workersOf returns the Workers for the ops built on n's graph.
func workersOf(n *G.Node) *parallel.Workers {
	if n != nil {
		if w, ok := graphWorkers.Load(weak.Make(n.Graph())); ok {
			return w.(*parallel.Workers)
		}
	}
	return parallel.Default
}

package opkit

import (
	"runtime"
	"sync"
	"weak"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// graphWorkers maps graphs to the Workers ops.SetThreads gave them; entries
// go with their graphs.
var graphWorkers sync.Map // weak.Pointer[G.ExprGraph] → *parallel.Workers

// SetWorkers makes the ops built in g from now on run on w; nil restores
// parallel.Default.
func SetWorkers(g *G.ExprGraph, w *parallel.Workers) {
	key := weak.Make(g)
	if w == nil {
		graphWorkers.Delete(key)
		return
	}
	if _, loaded := graphWorkers.Swap(key, w); !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[G.ExprGraph]) { graphWorkers.Delete(k) }, key)
	}
}

// WorkersOf returns the Workers for the ops built on n's graph.
func WorkersOf(n *G.Node) *parallel.Workers {
	if n != nil {
		if w, ok := graphWorkers.Load(weak.Make(n.Graph())); ok {
			return w.(*parallel.Workers)
		}
	}
	return parallel.Default
}

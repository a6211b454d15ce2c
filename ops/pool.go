package ops

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	G "gorgonia.org/gorgonia"
)

// The kernels split their rows between cores many hundred times per
// training step, each time for a few microseconds of work. Starting
// goroutines and waking parked threads for every split costs about as much
// as it saves, so the splits go to helpers that spin briefly between jobs.
// Helpers are started by the first job after a pause and end when no job
// has come for spinFor: an idle process runs none.

// spinFor is how long a helper waits for the next job before it ends; the
// gaps between the kernels of a step are far shorter.
const spinFor = 200 * time.Microsecond

// Workers run the kernels of the ops built in a graph, splitting the large
// ones between up to a set number of goroutines (the caller's included).
// The zero number means GOMAXPROCS at the time of each job. A Workers runs
// one job at a time; a kernel that finds it busy (another machine's) runs
// on its caller alone.
type Workers struct {
	threads int
	busy    sync.Mutex // held by the caller of the job in flight
	job     atomic.Pointer[poolJob]
	helpers atomic.Int32 // running
}

// defaultWorkers serve graphs without SetThreads.
var defaultWorkers = &Workers{}

// graphWorkers maps graphs to the Workers SetThreads gave them; entries go
// with their graphs.
var graphWorkers sync.Map // weak.Pointer[G.ExprGraph] → *Workers

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
	if _, loaded := graphWorkers.Swap(key, &Workers{threads: n}); !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[G.ExprGraph]) { graphWorkers.Delete(k) }, key)
	}
	return nil
}

// workersOf returns the Workers for the ops built on n's graph.
func workersOf(n *G.Node) *Workers {
	if n != nil {
		if w, ok := graphWorkers.Load(weak.Make(n.Graph())); ok {
			return w.(*Workers)
		}
	}
	return defaultWorkers
}

// limit is the number of goroutines a job may use.
func (w *Workers) limit() int {
	if w == nil || w.threads == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w.threads
}

// poolJob is one split: chunks ranges of [0, n), claimed one at a time by
// whoever is free, the caller included.
type poolJob struct {
	body       func(k, lo, hi int)
	n, chunks  int
	next, done atomic.Int32
}

// run works on unclaimed chunks until none is left.
func (j *poolJob) run() {
	for {
		k := int(j.next.Add(1)) - 1
		if k >= j.chunks {
			return
		}
		j.body(k, k*j.n/j.chunks, (k+1)*j.n/j.chunks)
		j.done.Add(1)
	}
}

// help runs jobs as they are posted until none has come for spinFor.
func (w *Workers) help() {
	defer w.helpers.Add(-1)
	var last *poolJob
	idle := time.Now()
	for spins := 0; ; spins++ {
		if j := w.job.Load(); j != last && j != nil {
			last = j
			j.run()
			idle, spins = time.Now(), 0
			continue
		}
		if spins%64 != 63 {
			continue
		}
		// Let other goroutines (the garbage collector's, say) have
		// this core while there is nothing to do.
		runtime.Gosched()
		if time.Since(idle) > spinFor {
			return
		}
	}
}

// split runs body over [0, n) in parts chunks (chunk k is [k·n/parts,
// (k+1)·n/parts)), claimed one by one by the caller and up to helpers
// helpers, and reports whether it could: false when w is in use by another
// goroutine, and the caller should run body itself.
func (w *Workers) split(n, parts, helpers int, body func(k, lo, hi int)) bool {
	if !w.busy.TryLock() {
		return false
	}
	defer w.busy.Unlock()
	j := &poolJob{body: body, n: n, chunks: parts}
	w.job.Store(j)
	// A helper that is about to end may miss the job; the caller then
	// does its chunks, so a missing helper costs time, never a result.
	for h := w.helpers.Load(); h < int32(helpers); h = w.helpers.Load() {
		if w.helpers.CompareAndSwap(h, h+1) {
			go w.help()
		}
	}
	j.run()
	for spins := 1; int(j.done.Load()) < j.chunks; spins++ {
		if spins%1024 == 0 {
			runtime.Gosched()
		}
	}
	return true
}

package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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

// Workers split the large kernels between up to a set number of
// goroutines (the caller's included). The zero number means GOMAXPROCS at
// the time of each job. A Workers runs one job at a time; a kernel that
// finds it busy (another machine's) runs on its caller alone.
type Workers struct {
	threads int
	busy    sync.Mutex // held by the caller of the job in flight
	job     atomic.Pointer[job]
	helpers atomic.Int32 // running
}

// Default serves the kernels of graphs whose threads nobody bounded.
var Default = &Workers{}

// New returns Workers of at most threads goroutines (0: GOMAXPROCS).
func New(threads int) *Workers { return &Workers{threads: threads} }

// Limit is the number of goroutines a job may use.
func (w *Workers) Limit() int {
	if w == nil || w.threads == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w.threads
}

// job is one split: chunks ranges of [0, n), claimed one at a time by
// whoever is free, the caller included.
type job struct {
	body       func(k, lo, hi int)
	n, chunks  int
	next, done atomic.Int32
}

// run works on unclaimed chunks until none is left.
func (j *job) run() {
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
	var last *job
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
	j := &job{body: body, n: n, chunks: parts}
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

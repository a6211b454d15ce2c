package ops

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The kernels split their rows between cores many hundred times per
// training step, each time for a few microseconds of work. Starting
// goroutines and waking parked threads for every split costs about as much
// as it saves, so the splits go to a few long-lived helpers that spin
// briefly between jobs and park when there is none.

// spinFor is how long an idle helper waits for the next job before it
// parks; the gaps between the kernels of a step are far shorter.
const spinFor = 200 * time.Microsecond

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

type workerPool struct {
	busy    sync.Mutex // held by the caller of the job in flight
	job     atomic.Pointer[poolJob]
	wake    []chan struct{}
	helpers int
}

var (
	pool     workerPool
	poolOnce sync.Once
)

// start launches GOMAXPROCS−1 helpers.
func (p *workerPool) start() {
	p.helpers = runtime.GOMAXPROCS(0) - 1
	for h := 0; h < p.helpers; h++ {
		c := make(chan struct{}, 1)
		p.wake = append(p.wake, c)
		go p.help(c)
	}
}

// help runs jobs as they are posted, spinning for spinFor after each and
// then parking until the next post wakes it.
func (p *workerPool) help(wake chan struct{}) {
	var last *poolJob
	idle := time.Now()
	for spins := 0; ; spins++ {
		if j := p.job.Load(); j != last && j != nil {
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
			<-wake // a stale token only costs one more round
			idle, spins = time.Now(), 0
		}
	}
}

// split runs body over [0, n) in parts chunks on the pool (chunk k is
// [k·n/parts, (k+1)·n/parts)), claimed one by one by the caller and the
// helpers, and reports whether it could:
// false when the pool is in use by another goroutine, or has no helpers,
// and the caller should run body itself.
func (p *workerPool) split(n, parts int, body func(k, lo, hi int)) bool {
	poolOnce.Do(p.start)
	if p.helpers == 0 || !p.busy.TryLock() {
		return false
	}
	defer p.busy.Unlock()
	j := &poolJob{body: body, n: n, chunks: parts}
	p.job.Store(j)
	for _, c := range p.wake[:min(parts-1, p.helpers)] {
		select {
		case c <- struct{}{}:
		default:
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

// serial counts the callers that asked the kernels to stay on one core.
var serial atomic.Int32

// Serial keeps the kernels on the calling goroutine's core until the
// returned function is called: for callers that run several machines at
// once, one per core, where splitting each kernel again only adds
// contention. Calls may overlap; each must call its function once.
func Serial() (done func()) {
	serial.Add(1)
	var once sync.Once
	return func() { once.Do(func() { serial.Add(-1) }) }
}

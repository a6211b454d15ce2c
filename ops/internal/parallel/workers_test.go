package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const bigWork = 64 * Grain

// coverage runs ForParts over n and reports how often each index was
// visited and which chunk numbers ran.
func coverage(t *testing.T, w *Workers, n int) ([]int32, map[int]bool) {
	t.Helper()
	seen := make([]int32, n)
	var mu sync.Mutex
	parts := map[int]bool{}
	w.ForParts(n, bigWork, func(k, lo, hi int) {
		if k < 0 || k >= w.MaxParts() {
			t.Errorf("chunk number %d outside [0, %d)", k, w.MaxParts())
		}
		mu.Lock()
		if parts[k] {
			t.Errorf("chunk number %d ran twice", k)
		}
		parts[k] = true
		mu.Unlock()
		for i := lo; i < hi; i++ {
			atomic.AddInt32(&seen[i], 1)
		}
	})
	return seen, parts
}

// Every index is visited exactly once, also with several callers at once
// (only one gets the Workers; the others run alone).
func TestParallelPartsCoversOnce(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two cores")
	}
	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for _, n := range []int{2, 7, 100, 1001} {
				seen, _ := coverage(t, Default, n+c)
				for i, v := range seen {
					if v != 1 {
						t.Errorf("n=%d: index %d visited %d times", n+c, i, v)
					}
				}
			}
		}(c)
	}
	wg.Wait()
	if _, parts := coverage(t, Default, 1000); len(parts) < 2 {
		t.Errorf("a large job ran in %d chunk(s), want it split", len(parts))
	}
}

// Workers of one thread keep every job in one chunk on the caller; others
// split it, and their helpers end once jobs stop coming.
func TestWorkersThreads(t *testing.T) {
	one := New(1)
	if _, parts := coverage(t, one, 1000); len(parts) != 1 || !parts[0] {
		t.Errorf("with one thread the job ran as chunks %v, want only chunk 0", parts)
	}
	if one.helpers.Load() != 0 {
		t.Errorf("one thread started %d helpers", one.helpers.Load())
	}
	if runtime.GOMAXPROCS(0) < 2 {
		return
	}
	two := New(2)
	if _, parts := coverage(t, two, 1000); len(parts) < 2 {
		t.Errorf("with two threads a large job ran in %d chunk(s)", len(parts))
	}
	deadline := time.Now().Add(5 * time.Second)
	for two.helpers.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := two.helpers.Load(); n != 0 {
		t.Errorf("%d helpers still running long after the last job", n)
	}
}

package ops

import (
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The unit tests of the kernels run on tensors too small to be split
// between cores; these run the split paths.

const bigWork = 64 * parallelGrain

// coverage runs parallelParts over n and reports how often each index was
// visited and which chunk numbers ran.
func coverage(t *testing.T, w *Workers, n int) ([]int32, map[int]bool) {
	t.Helper()
	seen := make([]int32, n)
	var mu sync.Mutex
	parts := map[int]bool{}
	parallelParts(w, n, bigWork, func(k, lo, hi int) {
		if k < 0 || k >= maxParts(w) {
			t.Errorf("chunk number %d outside [0, %d)", k, maxParts(w))
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
// (only one gets the pool; the others run alone).
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
				seen, _ := coverage(t, defaultWorkers, n+c)
				for i, v := range seen {
					if v != 1 {
						t.Errorf("n=%d: index %d visited %d times", n+c, i, v)
					}
				}
			}
		}(c)
	}
	wg.Wait()
	if _, parts := coverage(t, defaultWorkers, 1000); len(parts) < 2 {
		t.Errorf("a large job ran in %d chunk(s), want it split", len(parts))
	}
}

// Workers of one thread keep every job in one chunk on the caller; others
// split it, and their helpers end once jobs stop coming.
func TestWorkersThreads(t *testing.T) {
	one := &Workers{threads: 1}
	if _, parts := coverage(t, one, 1000); len(parts) != 1 || !parts[0] {
		t.Errorf("with one thread the job ran as chunks %v, want only chunk 0", parts)
	}
	if one.helpers.Load() != 0 {
		t.Errorf("one thread started %d helpers", one.helpers.Load())
	}
	if runtime.GOMAXPROCS(0) < 2 {
		return
	}
	two := &Workers{threads: 2}
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

// SetThreads gives a graph Workers of its own, which the ops built in it
// use; other graphs keep the default.
func TestSetThreads(t *testing.T) {
	g, other := G.NewGraph(), G.NewGraph()
	if err := SetThreads(g, 1); err != nil {
		t.Fatal(err)
	}
	u := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("u"))
	v := G.NewMatrix(other, tensor.Float64, G.WithShape(2, 3), G.WithName("v"))
	s, err := Spike(u, Surrogate{Shape: SuperSpike, Beta: 10})
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Op().(spikeOp).workers; w == defaultWorkers || w.limit() != 1 {
		t.Errorf("an op of the bounded graph runs on %+v", w)
	}
	s2, err := Spike(v, Surrogate{Shape: SuperSpike, Beta: 10})
	if err != nil {
		t.Fatal(err)
	}
	if w := s2.Op().(spikeOp).workers; w != defaultWorkers {
		t.Errorf("an op of another graph runs on %+v, want the default", w)
	}
	if err := SetThreads(g, -1); err == nil {
		t.Error("SetThreads(-1) was accepted")
	}
}

// The spike index a Spike op builds chunk by chunk, in parallel, lists
// exactly the spikes, and spike counts summed from it equal the dense sum.
func TestSpikeIndexLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const rows, cols, steps = 300, 101, 3
	si := make([]*spikeIndex, steps)
	var in []G.Value
	dense := make([]float32, rows*cols)
	for n := range si {
		u := make([]float32, rows*cols)
		for i := range u {
			u[i] = float32(2.2*rng.Float64() - 1)
		}
		out := make([]float32, rows*cols)
		si[n] = &spikeIndex{}
		heavisideIndexed(defaultWorkers, out, u, rows, si[n])
		c := spikeCSR(si[n], out)
		if c == nil || len(c.start) != rows+1 {
			t.Fatalf("step %d: no index for [%d, %d]", n, rows, cols)
		}
		for b := 0; b < rows; b++ {
			var want []int32
			for j, v := range out[b*cols : (b+1)*cols] {
				if v != 0 {
					want = append(want, int32(j))
				}
			}
			got := c.col[c.start[b]:c.start[b+1]]
			if len(got) != len(want) {
				t.Fatalf("step %d row %d: index %v, spikes at %v", n, b, got, want)
			}
			for k := range want {
				if got[k] != want[k] || c.val[c.start[b]+int32(k)] != 1 {
					t.Fatalf("step %d row %d: index %v, spikes at %v", n, b, got, want)
				}
			}
		}
		for i, v := range out {
			dense[i] += v
		}
		in = append(in, tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(out)))
	}
	if e := si[0].entries[0].(*spikeEntry[float32]); chunksUsed(e.parts) < 2 && runtime.GOMAXPROCS(0) >= 2 {
		t.Error("the index was not built in parallel chunks")
	}
	sum := make([]float32, rows*cols)
	if !sumSpikes(sum, in, si) {
		t.Fatal("spike counts were not summed from the index")
	}
	for i := range dense {
		if sum[i] != dense[i] {
			t.Fatalf("count %d = %v from the index, %v dense", i, sum[i], dense[i])
		}
	}
}

// The weight gradient summed over time-step parts on several cores equals
// the plain double loop.
func TestWeightGradParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const steps, rows, fanIn, cols = 40, 60, 70, 30
	var xs, gs [][]float64
	var xis []*csr[float64]
	want := make([]float64, fanIn*cols)
	for n := 0; n < steps; n++ {
		x := make([]float64, rows*fanIn)
		for i := range x {
			if rng.Float64() < 0.1 {
				x[i] = rng.Float64() + 0.5
			}
		}
		g := make([]float64, rows*cols)
		for i := range g {
			g[i] = 2*rng.Float64() - 1
		}
		xs, gs = append(xs, x), append(gs, g)
		var xi *csr[float64]
		if n%2 == 0 { // half through an index, half scanned
			xi = buildIndex(&sparseIndex{}, n, x, rows)
		}
		xis = append(xis, xi)
		for b := 0; b < rows; b++ {
			for i := 0; i < fanIn; i++ {
				for j := 0; j < cols; j++ {
					want[i*cols+j] += 0.5 * x[b*fanIn+i] * g[b*cols+j]
				}
			}
		}
	}
	got := make([]float64, len(want))
	weightGrad(defaultWorkers, got, fanIn, cols, 0.5, xs, xis, gs, axpy64)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("dW[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func chunksUsed[T float](parts []indexPart[T]) int {
	n := 0
	for _, p := range parts {
		if p.lo >= 0 {
			n++
		}
	}
	return n
}

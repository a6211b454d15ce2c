package index

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// The spike index that Heaviside builds chunk by chunk, in parallel, lists
// exactly the spikes, and spike counts summed from it equal the dense sum.
func TestSpikeIndexLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const rows, cols, steps = 300, 101, 3
	si := make([]*Spikes, steps)
	var cs []*kernel.CSR[float32]
	dense := make([]float32, rows*cols)
	for n := range si {
		u := make([]float32, rows*cols)
		for i := range u {
			u[i] = float32(2.2*rng.Float64() - 1)
		}
		out := make([]float32, rows*cols)
		si[n] = &Spikes{}
		Heaviside(parallel.Default, si[n], out, u, rows)
		c := LookupSpikes(si[n], out)
		if c == nil || len(c.Start) != rows+1 {
			t.Fatalf("step %d: no index for [%d, %d]", n, rows, cols)
		}
		for b := 0; b < rows; b++ {
			var want []int32
			for j, v := range out[b*cols : (b+1)*cols] {
				if v != 0 {
					want = append(want, int32(j))
				}
			}
			got := c.Col[c.Start[b]:c.Start[b+1]]
			if len(got) != len(want) {
				t.Fatalf("step %d row %d: index %v, spikes at %v", n, b, got, want)
			}
			for k := range want {
				if got[k] != want[k] || c.Val[c.Start[b]+int32(k)] != 1 {
					t.Fatalf("step %d row %d: index %v, spikes at %v", n, b, got, want)
				}
			}
		}
		for i, v := range out {
			dense[i] += v
		}
		cs = append(cs, c)
	}
	if e := si[0].entries[0].(*spikes[float32]); chunksUsed(e.parts) < 2 && runtime.GOMAXPROCS(0) >= 2 {
		t.Error("the index was not built in parallel chunks")
	}
	sum := make([]float32, rows*cols)
	kernel.SumCSR(sum, cs)
	for i := range dense {
		if sum[i] != dense[i] {
			t.Fatalf("count %d = %v from the index, %v dense", i, sum[i], dense[i])
		}
	}
}

func chunksUsed[T kernel.Float](parts []part[T]) int {
	n := 0
	for _, p := range parts {
		if p.lo >= 0 {
			n++
		}
	}
	return n
}

// An index is found by the memory it describes only, and a Detach copy
// shares its original's.
func TestSpikeIndexByMemory(t *testing.T) {
	const rows, cols = 2, 20
	u := make([]float32, rows*cols)
	for i := range u {
		u[i] = float32(i % 3)
	}
	a, b, cp := onHeap[float32](len(u)), onHeap[float32](len(u)), onHeap[float32](len(u))
	var si Spikes
	Heaviside(parallel.Default, &si, a, u, rows)
	if LookupSpikes(&si, a) == nil {
		t.Fatal("no index for the spikes written")
	}
	if LookupSpikes(&si, b) != nil {
		t.Fatal("an index for memory that holds no spikes")
	}
	copy(cp, a)
	AliasSpikes(&si, a, cp)
	if LookupSpikes(&si, cp) != LookupSpikes(&si, a) {
		t.Fatal("the copy does not share the index of its original")
	}
}

// The index of a dense input is built for its memory and found again; a
// matrix denser than maxDensity gets none.
func TestInputIndex(t *testing.T) {
	const rows, cols = 3, 8
	x := onHeap[float64](rows * cols)
	x[1], x[9], x[23] = 2, -1, 0.5
	var in Inputs
	c := Build(&in, 4, x, rows)
	if c == nil || Lookup(&in, 4, x) != c || Lookup(&in, 5, x) != nil {
		t.Fatalf("index %v not found again under its key alone", c)
	}
	want := kernel.CSR[float64]{Start: []int32{0, 1, 2, 3}, Col: []int32{1, 1, 7}, Val: []float64{2, -1, 0.5}}
	if len(c.Start) != 4 || len(c.Col) != 3 {
		t.Fatalf("index %+v, want %+v", *c, want)
	}
	for k := range want.Col {
		if c.Col[k] != want.Col[k] || c.Val[k] != want.Val[k] || c.Start[k] != want.Start[k] {
			t.Fatalf("index %+v, want %+v", *c, want)
		}
	}
	for i := range x {
		x[i] = 1
	}
	if Build(&in, 4, x, rows) != nil || Lookup(&in, 4, x) != nil {
		t.Error("a dense matrix was indexed")
	}
}

var sink []any

// onHeap returns a slice of n zeros on the heap, as the memory of a tensor
// is: indexes are found by address, and a slice on the stack may move.
func onHeap[T kernel.Float](n int) []T {
	x := make([]T, n)
	sink = append(sink, x)
	return x
}

// The spikes and their index are the same whatever the number of threads
// that write them (each writes whole rows, and the index lists them in
// order).
func TestSpikeIndexThreadIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const rows, cols = 512, 130
	u := make([]float32, rows*cols)
	for i := range u {
		u[i] = float32(2.2*rng.Float64() - 1)
	}
	var want *kernel.CSR[float32]
	for _, limit := range []int{1, 2, 3, 4, 8} {
		out := onHeap[float32](rows * cols)
		si := &Spikes{}
		Heaviside(parallel.New(limit), si, out, u, rows)
		c := LookupSpikes(si, out)
		if want == nil {
			want = c
			continue
		}
		if !slices.Equal(c.Start, want.Start) || !slices.Equal(c.Col, want.Col) || !slices.Equal(c.Val, want.Val) {
			t.Fatalf("with %d threads the index differs from one thread's", limit)
		}
	}
}

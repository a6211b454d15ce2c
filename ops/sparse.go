package ops

import (
	"math"
	"sync"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// csr lists the non-zero entries of a [rows, cols] matrix, row by row.
type csr[T float] struct {
	data  uintptr // the memory of the matrix it was built from
	size  int
	start []int32 // row b's entries are start[b] … start[b+1]−1
	col   []int32
	val   []T
}

// maxDensity is the fraction of non-zeros above which a matrix is treated
// as dense: its index would cost more than it saves.
const maxDensity = 0.25

// sparseIndex keeps the index of every input a layer's synapses read, built
// by the forward gather and reused by the fused weight gradient, which reads
// the same tensors later in the same run (a tensor does not change between
// the two). Entries are keyed by step and input (2·step for x, 2·step+1
// for r), rebuilt on every forward pass, and name the memory they index; a
// dense tensor has none.
type sparseIndex struct {
	mu sync.Mutex
	m  map[int]any
}

// buildIndex returns the index of x ([rows, len(x)/rows]) under key,
// rebuilding it in place, or nil if x is too dense.
func buildIndex[T float](si *sparseIndex, key int, x []T, rows int) *csr[T] {
	if len(x) == 0 {
		return nil
	}
	si.mu.Lock()
	if si.m == nil {
		si.m = map[int]any{}
	}
	c, _ := si.m[key].(*csr[T])
	if c == nil {
		c = &csr[T]{}
		si.m[key] = c
	}
	si.mu.Unlock()
	c.data, c.size = uintptr(unsafe.Pointer(&x[0])), 0 // invalid until complete
	limit := int(maxDensity * float64(len(x)))
	var ok bool
	if c.col, ok = appendNonzeros(c.col[:0], x, limit); !ok {
		return nil
	}
	// c.col holds flat positions; split them into rows and columns.
	cols := len(x) / rows
	c.start, c.val = c.start[:0], c.val[:0]
	b := 0
	for k, p := range c.col {
		for int(p) >= b*cols {
			c.start = append(c.start, int32(k))
			b++
		}
		c.col[k] = p - int32((b-1)*cols)
		c.val = append(c.val, x[p])
	}
	for ; b <= rows; b++ {
		c.start = append(c.start, int32(len(c.col)))
	}
	c.size = len(x)
	return c
}

// lookupIndex returns the index built under key for x by this run's
// forward pass, or nil.
func lookupIndex[T float](si *sparseIndex, key int, x []T) *csr[T] {
	if len(x) == 0 {
		return nil
	}
	si.mu.Lock()
	defer si.mu.Unlock()
	c, _ := si.m[key].(*csr[T])
	if c == nil || c.data != uintptr(unsafe.Pointer(&x[0])) || c.size != len(x) {
		return nil
	}
	return c
}

// spikeIndex is the index of the spikes a Spike op writes, built while it
// writes them (the rows are still in cache) and read by the synapses that
// take those spikes, or their Detach copy, as input: a spike tensor is
// scanned once instead of once by every reader. It holds the last run's
// index. A reader depends on the Spike op, so the op has run before it in
// the same run, and Gorgonia does not overwrite a tensor (nor its Detach
// copy) while a reader of it is still to come; hence, unlike sparseIndex,
// no check of the memory (the Detach copy has its own). Machines compiled
// from one graph must therefore not run at the same time.
type spikeIndex struct {
	c     any // *csr[T]
	parts any // []indexPart[T], one per chunk of the parallel Heaviside
}

// indexPart is the index of the rows lo… of one chunk; lo < 0 if the
// chunk did not run.
type indexPart[T float] struct {
	lo int
	c  csr[T]
}

// spikeIndexOf returns the index of the spikes n holds, if n is the output
// of a Spike op or its Detach copy, and nil otherwise.
func spikeIndexOf(n *G.Node) *spikeIndex {
	if n == nil {
		return nil
	}
	switch op := n.Op().(type) {
	case spikeOp:
		return op.index
	case detachOp:
		return op.index
	}
	return nil
}

// spikeCSR returns si's index if it indexes a tensor of x's size.
func spikeCSR[T float](si *spikeIndex, x []T) *csr[T] {
	if si == nil || len(x) == 0 {
		return nil
	}
	if c, _ := si.c.(*csr[T]); c != nil && c.size == len(x) {
		return c
	}
	return nil
}

// heavisideIndexed is heaviside on [rows, ·] matrices that also indexes
// the spikes into si, chunk by chunk as they are written.
func heavisideIndexed[T float](out, u []T, rows int, si *spikeIndex) {
	cols := len(out) / rows
	c, _ := si.c.(*csr[T])
	if c == nil {
		c = &csr[T]{}
		si.c = c
	}
	parts, _ := si.parts.([]indexPart[T])
	if p := maxParts(); len(parts) < p {
		parts = make([]indexPart[T], p)
		si.parts = parts
	}
	for k := range parts {
		parts[k].lo = -1
	}
	c.size = 0 // invalid until complete
	parallelParts(rows, len(out)*cheap, func(k, lo, hi int) {
		p := &parts[k]
		p.lo = lo
		p.c.start, p.c.col, p.c.val = p.c.start[:0], p.c.col[:0], p.c.val[:0]
		heavisideSeq(out[lo*cols:hi*cols], u[lo*cols:hi*cols])
		for b := lo; b < hi; b++ {
			row := out[b*cols : (b+1)*cols]
			p.c.start = append(p.c.start, int32(len(p.c.col)))
			first := len(p.c.col)
			p.c.col, _ = appendNonzeros(p.c.col, row, math.MaxInt)
			for _, i := range p.c.col[first:] {
				p.c.val = append(p.c.val, row[i])
			}
		}
	})
	c.start, c.col, c.val = c.start[:0], c.col[:0], c.val[:0]
	for k := range parts {
		p := &parts[k]
		if p.lo < 0 {
			continue
		}
		off := int32(len(c.col))
		for _, s := range p.c.start {
			c.start = append(c.start, s+off)
		}
		c.col, c.val = append(c.col, p.c.col...), append(c.val, p.c.val...)
	}
	c.start = append(c.start, int32(len(c.col)))
	c.data, c.size = uintptr(unsafe.Pointer(&out[0])), len(out)
}

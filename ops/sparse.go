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

// Indexes belong to the tensors they index. A graph's ops are shared by
// every machine compiled from it, and each machine has tensors of its own,
// so an op keeps one index per tensor it has indexed (identified by its
// memory), for up to indexSlots tensors: machines that run the op at the
// same time, or one after another, never read or rebuild each other's
// index. A tensor's memory belongs to one machine while it lives, and a
// reader of an index reads the tensor it describes in the same run, after
// the op that built it and before anything overwrites it.
const indexSlots = 8

// sparseIndex keeps the index of every input a layer's synapses read, built
// by the forward gather and reused by the fused weight gradient, which reads
// the same tensors later in the same run (a tensor does not change between
// the two). Entries are keyed by step and input (2·step for x, 2·step+1
// for r) and by the memory they index; a dense tensor has none.
type sparseIndex struct {
	mu sync.Mutex
	m  map[int][]any // *csr[T] by key, the most recently built last
}

// buildIndex returns the index of x ([rows, len(x)/rows]) under key,
// rebuilding in place the one it built before for x's memory, or nil if x
// is too dense.
func buildIndex[T float](si *sparseIndex, key int, x []T, rows int) *csr[T] {
	if len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	si.mu.Lock()
	if si.m == nil {
		si.m = map[int][]any{}
	}
	var c *csr[T]
	si.m[key], c = claim(si.m[key], func(c *csr[T]) bool { return c.data == data })
	if c == nil {
		c = &csr[T]{data: data}
		si.m[key] = append(si.m[key], c)
	}
	c.size = 0 // invalid until complete
	si.mu.Unlock()
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
	si.mu.Lock()
	c.size = len(x)
	si.mu.Unlock()
	return c
}

// claim moves the entry that match accepts to the end of entries and
// returns it; without one it returns nil and makes room for a new entry,
// dropping the least recently used.
func claim[E any](entries []any, match func(E) bool) ([]any, E) {
	for k, e := range entries {
		if v, ok := e.(E); ok && match(v) {
			copy(entries[k:], entries[k+1:])
			entries[len(entries)-1] = e
			return entries, v
		}
	}
	var zero E
	if len(entries) >= indexSlots {
		entries = append(entries[:0], entries[1:]...)
	}
	return entries, zero
}

// lookupIndex returns the index built under key for x's memory by this
// run's forward pass, or nil.
func lookupIndex[T float](si *sparseIndex, key int, x []T) *csr[T] {
	if len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	si.mu.Lock()
	defer si.mu.Unlock()
	for _, e := range si.m[key] {
		if c, ok := e.(*csr[T]); ok && c.data == data && c.size == len(x) {
			return c
		}
	}
	return nil
}

// spikeIndex is the index of the spikes a Spike op writes, built while it
// writes them (the rows are still in cache) and read by the synapses that
// take those spikes, or their Detach copy, as input: a spike tensor is
// scanned once instead of once by every reader. It holds an entry per
// tensor the op has written (see indexSlots), and one per Detach copy of
// such a tensor, which shares the index of the original.
type spikeIndex struct {
	mu      sync.Mutex
	entries []any // *spikeEntry[T], the most recently written last
}

type spikeEntry[T float] struct {
	data  uintptr // the memory indexed
	size  int     // its length; 0 while the index is built
	c     *csr[T]
	parts []indexPart[T] // one per chunk of the parallel Heaviside
	alias bool           // a Detach copy's entry: c belongs to another entry
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

// spikeCSR returns the index of the spikes x holds, if si has one for x's
// memory.
func spikeCSR[T float](si *spikeIndex, x []T) *csr[T] {
	if si == nil || len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	si.mu.Lock()
	defer si.mu.Unlock()
	for _, e := range si.entries {
		if s, ok := e.(*spikeEntry[T]); ok && s.data == data && s.size == len(x) {
			return s.c
		}
	}
	return nil
}

func (si *spikeIndex) claimEntry(data uintptr) any {
	var e any
	si.entries, e = claim(si.entries, func(e any) bool { return entryData(e) == data })
	return e
}

// entryData is the memory a *spikeEntry[T] indexes.
func entryData(e any) uintptr {
	switch s := e.(type) {
	case *spikeEntry[float32]:
		return s.data
	case *spikeEntry[float64]:
		return s.data
	}
	return 0
}

// ownEntry returns the writable entry for data: the one claimed if it is
// not an alias, and a new one otherwise.
func ownEntry[T float](si *spikeIndex, data uintptr, parts int) *spikeEntry[T] {
	si.mu.Lock()
	defer si.mu.Unlock()
	e, _ := si.claimEntry(data).(*spikeEntry[T])
	if e != nil && e.alias {
		si.entries = si.entries[:len(si.entries)-1] // claimed: it is the last
		e = nil
	}
	if e == nil {
		e = &spikeEntry[T]{data: data, c: &csr[T]{}}
		si.entries = append(si.entries, e)
	}
	if len(e.parts) < parts {
		e.parts = make([]indexPart[T], parts)
	}
	e.size = 0 // invalid until complete
	return e
}

// alias lets the copy of the spikes at src, at dst, share their index.
func alias[T float](si *spikeIndex, src, dst []T) {
	if si == nil || len(src) == 0 || len(dst) != len(src) {
		return
	}
	from := uintptr(unsafe.Pointer(&src[0]))
	to := uintptr(unsafe.Pointer(&dst[0]))
	si.mu.Lock()
	defer si.mu.Unlock()
	var c *csr[T]
	for _, e := range si.entries {
		if s, ok := e.(*spikeEntry[T]); ok && s.data == from && s.size == len(src) {
			c = s.c
		}
	}
	if c == nil {
		return
	}
	e, _ := si.claimEntry(to).(*spikeEntry[T])
	if e == nil || !e.alias {
		if e != nil {
			si.entries = si.entries[:len(si.entries)-1]
		}
		e = &spikeEntry[T]{data: to, alias: true}
		si.entries = append(si.entries, e)
	}
	e.c, e.size = c, len(dst)
}

// heavisideIndexed is heaviside on [rows, ·] matrices that also indexes
// the spikes into si, chunk by chunk as they are written.
func heavisideIndexed[T float](w *Workers, out, u []T, rows int, si *spikeIndex) {
	cols := len(out) / rows
	e := ownEntry[T](si, uintptr(unsafe.Pointer(&out[0])), maxParts(w))
	parts, c := e.parts, e.c
	for k := range parts {
		parts[k].lo = -1
	}
	parallelParts(w, rows, len(out)*cheap, func(k, lo, hi int) {
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
	c.data, c.size = e.data, len(out)
	si.mu.Lock()
	e.size = len(out)
	si.mu.Unlock()
}

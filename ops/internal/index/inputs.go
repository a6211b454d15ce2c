package index

import (
	"sync"
	"unsafe"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
)

// maxDensity is the fraction of non-zeros above which a matrix is treated
// as dense: its index would cost more than it saves.
const maxDensity = 0.25

// Inputs keeps the index of every input a layer's synapses read, built by
// the forward gather and reused by the fused weight gradient, which reads
// the same tensors later in the same run (a tensor does not change between
// the two). Entries are keyed by the caller (a step and an input, say) and
// by the memory they index; a dense tensor has none.
type Inputs struct {
	mu sync.Mutex
	m  map[int][]any // *input[T] by key, the most recently built last
}

// input is the index of one tensor.
type input[T kernel.Float] struct {
	data uintptr // the memory indexed
	size int     // its length; 0 while the index is built
	c    kernel.CSR[T]
}

// Build returns the index of x ([rows, len(x)/rows]) under key, rebuilding
// in place the one it built before for x's memory, or nil if x is too
// dense.
func Build[T kernel.Float](in *Inputs, key int, x []T, rows int) *kernel.CSR[T] {
	if len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	in.mu.Lock()
	if in.m == nil {
		in.m = map[int][]any{}
	}
	var e *input[T]
	in.m[key], e = claim(in.m[key], func(e *input[T]) bool { return e.data == data })
	if e == nil {
		e = &input[T]{data: data}
		in.m[key] = append(in.m[key], e)
	}
	e.size = 0 // invalid until complete
	in.mu.Unlock()
	c := &e.c
	limit := int(maxDensity * float64(len(x)))
	var ok bool
	if c.Col, ok = kernel.AppendNonzeros(c.Col[:0], x, limit); !ok {
		return nil
	}
	// c.Col holds flat positions; split them into rows and columns.
	cols := len(x) / rows
	c.Start, c.Val = c.Start[:0], c.Val[:0]
	b := 0
	for k, p := range c.Col {
		for int(p) >= b*cols {
			c.Start = append(c.Start, int32(k))
			b++
		}
		c.Col[k] = p - int32((b-1)*cols)
		c.Val = append(c.Val, x[p])
	}
	for ; b <= rows; b++ {
		c.Start = append(c.Start, int32(len(c.Col)))
	}
	in.mu.Lock()
	e.size = len(x)
	in.mu.Unlock()
	return c
}

// Lookup returns the index built under key for x's memory by this run's
// forward pass, or nil.
func Lookup[T kernel.Float](in *Inputs, key int, x []T) *kernel.CSR[T] {
	if len(x) == 0 {
		return nil
	}
	data := uintptr(unsafe.Pointer(&x[0]))
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, e := range in.m[key] {
		if e, ok := e.(*input[T]); ok && e.data == data && e.size == len(x) {
			return &e.c
		}
	}
	return nil
}

// slots is how many tensors a cache keeps an index of under one key: more
// than the machines that run one graph's op at once or in turn.
const slots = 8

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
	if len(entries) >= slots {
		entries = append(entries[:0], entries[1:]...)
	}
	return entries, zero
}

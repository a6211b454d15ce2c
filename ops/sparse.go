package ops

import (
	"sync"
	"unsafe"
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

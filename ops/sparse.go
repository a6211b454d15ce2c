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
	cols := len(x) / rows
	limit := int(maxDensity * float64(len(x)))
	c.start, c.col, c.val = c.start[:0], c.col[:0], c.val[:0]
	dense := false
	for b := 0; b < rows && !dense; b++ {
		c.start = append(c.start, int32(len(c.col)))
		forEachNonzero(x[b*cols:(b+1)*cols], func(i int, v T) {
			c.col = append(c.col, int32(i))
			c.val = append(c.val, v)
		})
		dense = len(c.col) > limit
	}
	if dense {
		return nil
	}
	c.start = append(c.start, int32(len(c.col)))
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

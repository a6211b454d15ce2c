package kernel

import (
	"math"
	"slices"

	"github.com/spikegrad/spikegrad/ops/internal/simd"
)

// CSR lists the non-zero entries of a [rows, cols] matrix row by row
// (compressed sparse rows): row b's entries are Start[b] … Start[b+1]−1,
// at columns Col and with values Val. Spike rasters and event inputs are
// mostly zero, and the row kernels read them through a CSR.
type CSR[T Float] struct {
	Start []int32 // rows+1 offsets
	Col   []int32
	Val   []T
}

// Reset empties c and keeps its memory.
func (c *CSR[T]) Reset() { c.Start, c.Col, c.Val = c.Start[:0], c.Col[:0], c.Val[:0] }

// AddCSR adds the entries of c to dst, a [rows, cols] matrix, in order.
func AddCSR[T Float](dst []T, c *CSR[T], cols int) {
	for b := 0; b+1 < len(c.Start); b++ {
		db := dst[b*cols : (b+1)*cols]
		for k := c.Start[b]; k < c.Start[b+1]; k++ {
			db[c.Col[k]] += c.Val[k]
		}
	}
}

// HeavisideRows is Heaviside on one goroutine for [rows, cols] matrices
// that also writes the spikes' CSR into c, row by row as they are written
// (the rows are still in cache).
func HeavisideRows[T Float](out []T, c *CSR[T], u []T, cols int) {
	c.Reset()
	if o32, ok := as32(out); ok && simd.UseAVX {
		u32, _ := as32(u)
		heavisideRows32(o32, c, u32, cols)
		for range c.Col { // a spike is 1
			c.Val = append(c.Val, 1)
		}
		return
	}
	heaviside(out, u)
	for lo := 0; lo < len(out); lo += cols {
		row := out[lo : lo+cols]
		c.Start = append(c.Start, int32(len(c.Col)))
		first := len(c.Col)
		c.Col, _ = AppendNonzeros(c.Col, row, math.MaxInt)
		for _, i := range c.Col[first:] {
			c.Val = append(c.Val, row[i])
		}
	}
	c.Start = append(c.Start, int32(len(c.Col)))
}

// heavisideRows32 writes the spikes and the rows and columns of their
// index with simd.HeavisideIndex, which finds the spikes as it writes
// them, a row at a time.
func heavisideRows32[T Float](out []float32, c *CSR[T], u []float32, cols int) {
	m := cols &^ 7
	for lo := 0; lo < len(out); lo += cols {
		c.Start = append(c.Start, int32(len(c.Col)))
		c.Col = slices.Grow(c.Col, cols)
		free := c.Col[len(c.Col) : len(c.Col)+cols]
		n := simd.HeavisideIndex(out[lo:lo+m], u[lo:lo+m], free)
		for k := m; k < cols; k++ {
			var s float32
			if u[lo+k] >= Threshold {
				s = 1
				free[n] = int32(k)
				n++
			}
			out[lo+k] = s
		}
		c.Col = c.Col[:len(c.Col)+n]
	}
	c.Start = append(c.Start, int32(len(c.Col)))
}

// nonzeroChunk is how many elements a call of simd.Nonzeros scans: a
// multiple of its sixteen.
const nonzeroChunk = 256

// AppendNonzeros appends the positions of x's non-zeros to dst, in order,
// and reports false (dst then undefined) as soon as there are more than
// limit of them. For float32 package simd finds the non-zeros, sixteen
// floats at a time.
func AppendNonzeros[T Float](dst []int32, x []T, limit int) ([]int32, bool) {
	x32, ok := as32(x)
	if !ok {
		for i, v := range x {
			if v != 0 {
				if dst = append(dst, int32(i)); len(dst) > limit {
					return dst, false
				}
			}
		}
		return dst, true
	}
	for lo := 0; lo < len(x32); lo += nonzeroChunk {
		chunk := x32[lo:min(lo+nonzeroChunk, len(x32))]
		dst = slices.Grow(dst, len(chunk))
		free := dst[len(dst) : len(dst)+len(chunk)]
		n := simd.Nonzeros(free, chunk)
		for k := range free[:n] {
			free[k] += int32(lo)
		}
		dst = dst[:len(dst)+n]
		for k := len(chunk) &^ 15; k < len(chunk); k++ {
			if chunk[k] != 0 {
				dst = append(dst, int32(lo+k))
			}
		}
		if len(dst) > limit {
			return dst, false
		}
	}
	return dst, true
}

// forEachNonzero calls f(i, v) for every non-zero x[i], in order of i.
func forEachNonzero[T Float](x []T, f func(i int, v T)) {
	if x32, ok := as32(x); ok {
		// Small, because Go clears it on every call.
		var buf [nonzeroChunk]int32
		for lo := 0; lo < len(x32); lo += len(buf) {
			chunk := x32[lo:min(lo+len(buf), len(x32))]
			n := simd.Nonzeros(buf[:], chunk)
			for _, k := range buf[:n] {
				f(lo+int(k), x[lo+int(k)])
			}
			for k := len(chunk) &^ 15; k < len(chunk); k++ {
				if chunk[k] != 0 {
					f(lo+k, x[lo+k])
				}
			}
		}
		return
	}
	for i, v := range x {
		if v != 0 {
			f(i, v)
		}
	}
}

//go:build amd64 && !purego

package simd

import "golang.org/x/sys/cpu"

// UseAVX selects the AVX loops of avx_amd64.s, eight floats at a time,
// where the CPU and the OS support them; the SSE loops of sse_amd64.s run
// otherwise. Tests clear it to run the SSE loops on an AVX machine.
var UseAVX = cpu.X86.HasAVX

// avxLen is how much of n elements the AVX loops take: a multiple of 8,
// none without AVX; the SSE loops do the rest.
func avxLen(n int) int {
	if !UseAVX {
		return 0
	}
	return n &^ 7
}

// Heaviside writes 1 where u ≥ 1 and 0 elsewhere (NaN included).
func Heaviside(out, u []float32) {
	m := avxLen(len(out))
	heavisideAVX(out[:m], u[:m])
	heavisideSSE(out[m:], u[m:])
}

// HeavisideIndex is Heaviside over len(out), a multiple of 8, that also
// writes the positions of the ones to idx (room for len(out)), in order,
// and returns their number. Only with UseAVX.
func HeavisideIndex(out, u []float32, idx []int32) int {
	if len(u) < len(out) || len(idx) < len(out) {
		panic("simd: HeavisideIndex: short u or idx")
	}
	return heavisideIndexAVX(out, u, idx)
}

// Membrane writes (β·u + i)·(1 − r).
func Membrane(out, u, i, r []float32, beta float32) {
	m := avxLen(len(out))
	membraneAVX(out[:m], u[:m], i[:m], r[:m], beta)
	membraneSSE(out[m:], u[m:], i[m:], r[m:], beta)
}

// Integrate writes β·u + i: Membrane without a reset.
func Integrate(out, u, i []float32, beta float32) { axpbySSE(out, u, i, beta) }

// Scale writes a·x.
func Scale(out, x []float32, a float32) {
	if UseAVX {
		scaleAVX(out, x, a)
		return
	}
	scaleSSE(out, x, a)
}

// MaskScale writes (a·g)·(1 − r).
func MaskScale(out, g, r []float32, a float32) { maskScaleSSE(out, g, r, a) }

// LIFGradI writes (1 − r)·d + β·e.
func LIFGradI(out, d, e, r []float32, beta float32) {
	m := avxLen(len(out))
	lifGradIAVX(out[:m], d[:m], e[:m], r[:m], beta)
	lifGradISSE(out[m:], d[m:], e[m:], r[m:], beta)
}

// LIFGradU writes g·(num/(q·q)) + (β·(1 − r))·d with q = b·|u − 1| + 1.
func LIFGradU(out, u, g, d, r []float32, num, b, beta float32) {
	m := avxLen(len(out))
	lifGradUAVX(out[:m], u[:m], g[:m], d[:m], r[:m], num, b, beta)
	lifGradUSSE(out[m:], u[m:], g[m:], d[m:], r[m:], num, b, beta)
}

// SurrogateGrad writes g·(num/(q·q)) with q = b·|u − 1| + 1.
func SurrogateGrad(out, u, g []float32, num, b float32) { surrogateSSE(out, u, g, num, b) }

// AddScaled adds a·x to dst, over len(x) &^ 3 elements.
func AddScaled(dst []float32, a float32, x []float32) {
	if UseAVX {
		axpyAVX(a, x, dst)
		return
	}
	axpySSE(a, x, dst)
}

// Nonzeros writes the positions of the non-zero (or NaN) elements of
// x[:len(x) &^ 15] to idx, in order, and returns their number; idx has
// room for them all.
func Nonzeros(idx []int32, x []float32) int { return nonzerosSSE(x, idx) }

// CombineRows writes out[j] = cs[0]·w[ks[0]·stride+j] + cs[1]·w[ks[1]·stride+j]
// + …, the terms added in this order, for j < len(out), a multiple of 8;
// len(ks) = len(cs) ≥ 1. Only with UseAVX.
func CombineRows(out, w []float32, stride int, ks []int32, cs []float32) {
	combineAVX(out, w, stride, ks, cs)
}

// Max sets m to x where x > m, over len(m)&^7 elements (m stays where
// either is NaN, and on equal zeros). Only with UseAVX.
func Max(m, x []float32) {
	if len(x) < len(m)&^7 {
		panic("simd: Max: short x")
	}
	maxAVX(m, x)
}

// ArgMax is Max that also sets win to j wherever m is not equal to what
// it was (a NaN in m included), over len(m)&^7 elements. Only with UseAVX.
func ArgMax(m []float32, win []int32, x []float32, j int32) {
	if n := len(m) &^ 7; len(x) < n || len(win) < n {
		panic("simd: ArgMax: short x or win")
	}
	argMaxAVX(m, win, x, j)
}

// Pick writes g where idx equals j and +0 elsewhere, over len(out)&^7
// elements. Only with UseAVX.
func Pick(out, g, idx []float32, j float32) {
	if n := len(out) &^ 7; len(g) < n || len(idx) < n {
		panic("simd: Pick: short g or idx")
	}
	pickAVX(out, g, idx, j)
}

// GatherEventRows adds, for each row b of dst ([len(start)−1, cols]) and
// each event k from start[b] to start[b+1]−1 in order, gain·vals[k] times
// row idx[k] of table ([·, cols]) to row b of dst, over its first cols&^7
// columns; the callers do the rest. Only with UseAVX.
func GatherEventRows(dst, table []float32, cols int, start, idx []int32, vals []float32, gain float32) {
	checkRows(dst, cols, start)
	gatherRowsAVX(dst, table, cols, start, idx, vals, gain)
}

// ScatterEventRows adds, for each row b of src ([len(start)−1, cols]) and
// each event k from start[b] to start[b+1]−1 in order, gain·vals[k] times
// row b of src to row idx[k] of a matrix ([·, cols]) over their first
// cols&^7 columns; the callers do the rest. table holds the rows first…
// of the matrix, and the events of the other rows are skipped: threads
// that split a matrix's rows share the events. Only with UseAVX.
func ScatterEventRows(table []float32, first int, src []float32, cols int, start, idx []int32, vals []float32, gain float32) {
	checkRows(src, cols, start)
	scatterRowsAVX(table, src, cols, start, idx, vals, gain, first, len(table)/cols)
}

// checkRows panics unless x holds the rows that start delimits the events
// of: the loops index the matrices without bounds checks. (They trust the
// indices, which come from the CSR of a tensor of the table's shape.)
func checkRows(x []float32, cols int, start []int32) {
	if len(start) > 0 && len(x) < (len(start)-1)*cols {
		panic("simd: a matrix has fewer rows than start delimits")
	}
}

// The loops of sse_amd64.s: each handles len(out)/4 blocks of four (axpy
// len(x)/4, nonzeros len(x)/16 blocks of sixteen); all slices are at least
// that long.

//go:noescape
func heavisideSSE(out, u []float32)

//go:noescape
func membraneSSE(out, u, i, r []float32, beta float32)

//go:noescape
func axpbySSE(out, u, i []float32, beta float32)

//go:noescape
func scaleSSE(out, x []float32, a float32)

//go:noescape
func maskScaleSSE(out, g, r []float32, a float32)

//go:noescape
func lifGradISSE(out, d, e, r []float32, beta float32)

//go:noescape
func lifGradUSSE(out, u, g, d, r []float32, num, b, beta float32)

//go:noescape
func surrogateSSE(out, u, g []float32, num, b float32)

//go:noescape
func axpySSE(a float32, x, y []float32)

//go:noescape
func nonzerosSSE(x []float32, idx []int32) int

// The loops of avx_amd64.s, eight floats at a time.

//go:noescape
func axpyAVX(a float32, x, y []float32)

//go:noescape
func scaleAVX(out, x []float32, a float32)

//go:noescape
func combineAVX(out, w []float32, stride int, ks []int32, cs []float32)

//go:noescape
func heavisideAVX(out, u []float32)

//go:noescape
func heavisideIndexAVX(out, u []float32, idx []int32) int

//go:noescape
func membraneAVX(out, u, i, r []float32, beta float32)

//go:noescape
func lifGradIAVX(out, d, e, r []float32, beta float32)

//go:noescape
func lifGradUAVX(out, u, g, d, r []float32, num, b, beta float32)

//go:noescape
func pickAVX(out, g, idx []float32, j float32)

//go:noescape
func maxAVX(m, x []float32)

//go:noescape
func argMaxAVX(m []float32, win []int32, x []float32, j int32)

// The loops of events_amd64.s.

//go:noescape
func gatherRowsAVX(dst, table []float32, cols int, start, idx []int32, vals []float32, gain float32)

//go:noescape
func scatterRowsAVX(table, src []float32, cols int, start, idx []int32, vals []float32, gain float32, first, n int)

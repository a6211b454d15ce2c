//go:build !amd64 || purego

package simd

// The Go versions of the loops of sse_amd64.s, for other architectures and
// the purego build: the same operations in the same order.

// UseAVX is false: without assembly there are no AVX loops.
var UseAVX = false

// Heaviside writes 1 where u ≥ 1 and 0 elsewhere (NaN included).
func Heaviside(out, u []float32) {
	for k := range out {
		out[k] = 0
		if u[k] >= 1 {
			out[k] = 1
		}
	}
}

// Membrane writes (β·u + i)·(1 − r).
func Membrane(out, u, i, r []float32, beta float32) {
	for k := range out {
		out[k] = (beta*u[k] + i[k]) * (1 - r[k])
	}
}

// Integrate writes β·u + i: Membrane without a reset.
func Integrate(out, u, i []float32, beta float32) {
	for k := range out {
		out[k] = beta*u[k] + i[k]
	}
}

// Scale writes a·x.
func Scale(out, x []float32, a float32) {
	for k := range out {
		out[k] = a * x[k]
	}
}

// MaskScale writes (a·g)·(1 − r).
func MaskScale(out, g, r []float32, a float32) {
	for k := range out {
		out[k] = a * g[k] * (1 - r[k])
	}
}

// LIFGradI writes (1 − r)·d + β·e.
func LIFGradI(out, d, e, r []float32, beta float32) {
	for k := range out {
		out[k] = (1-r[k])*d[k] + beta*e[k]
	}
}

// LIFGradU writes g·(num/(q·q)) + (β·(1 − r))·d with q = b·|u − 1| + 1.
func LIFGradU(out, u, g, d, r []float32, num, b, beta float32) {
	for k := range out {
		q := b*abs(u[k]-1) + 1
		out[k] = g[k]*(num/(q*q)) + beta*(1-r[k])*d[k]
	}
}

// SurrogateGrad writes g·(num/(q·q)) with q = b·|u − 1| + 1.
func SurrogateGrad(out, u, g []float32, num, b float32) {
	for k := range out {
		q := b*abs(u[k]-1) + 1
		out[k] = g[k] * (num / (q * q))
	}
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// AddScaled adds a·x to dst, over len(x) &^ 3 elements.
func AddScaled(dst []float32, a float32, x []float32) {
	n := len(x) &^ 3
	for k := 0; k < n; k++ {
		dst[k] += a * x[k]
	}
}

// Nonzeros writes the positions of the non-zero (or NaN) elements of
// x[:len(x) &^ 15] to idx, in order, and returns their number; idx has
// room for them all.
func Nonzeros(idx []int32, x []float32) int {
	c := 0
	for k, v := range x[:len(x)&^15] {
		if v != 0 {
			idx[c] = int32(k)
			c++
		}
	}
	return c
}

// The AVX loops do not exist here; UseAVX is false, so nothing calls them.

func HeavisideIndex(out, u []float32, idx []int32) int                   { panic(noAVX) }
func CombineRows(out, w []float32, stride int, ks []int32, cs []float32) { panic(noAVX) }
func Max(m, x []float32)                                                 { panic(noAVX) }
func Pick(out, g, idx []float32, j float32)                              { panic(noAVX) }
func ArgMax(m []float32, win []int32, x []float32, j int32)              { panic(noAVX) }
func GatherEventRows(dst, table []float32, cols int, start, idx []int32, vals []float32, gain float32) {
	panic(noAVX)
}
func ScatterEventRows(table []float32, first int, src []float32, cols int, start, idx []int32, vals []float32, gain float32) {
	panic(noAVX)
}

const noAVX = "simd: no AVX loops without assembly"

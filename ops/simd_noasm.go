//go:build !amd64

package ops

// Go versions of the SSE loops of simd_amd64.s, for other architectures.

func heavisideF32(out, u []float32) {
	for k := range out {
		out[k] = 0
		if u[k] >= Threshold {
			out[k] = 1
		}
	}
}

func membraneF32(out, u, i, r []float32, beta float32) {
	for k := range out {
		out[k] = (beta*u[k] + i[k]) * (1 - r[k])
	}
}

func axpbyF32(out, u, i []float32, beta float32) {
	for k := range out {
		out[k] = beta*u[k] + i[k]
	}
}

func scaleF32(out, x []float32, a float32) {
	for k := range out {
		out[k] = a * x[k]
	}
}

func maskScaleF32(out, g, r []float32, a float32) {
	for k := range out {
		out[k] = a * g[k] * (1 - r[k])
	}
}

func lifGradIF32(out, d, e, r []float32, beta float32) {
	for k := range out {
		out[k] = (1-r[k])*d[k] + beta*e[k]
	}
}

func lifGradUF32(out, u, g, d, r []float32, num, b, beta float32) {
	for k := range out {
		q := b*abs32(u[k]-Threshold) + 1
		out[k] = g[k]*(num/(q*q)) + beta*(1-r[k])*d[k]
	}
}

func surrogateF32(out, u, g []float32, num, b float32) {
	for k := range out {
		q := b*abs32(u[k]-Threshold) + 1
		out[k] = g[k] * (num / (q * q))
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func axpyF32(a float32, x, y []float32) {
	n := len(x) &^ 3
	for k := 0; k < n; k++ {
		y[k] += a * x[k]
	}
}

func nonzerosF32(x []float32, idx []int32) int {
	c := 0
	for k, v := range x[:len(x)&^15] {
		if v != 0 {
			idx[c] = int32(k)
			c++
		}
	}
	return c
}

// Without assembly there is no AVX path.
var useAVX = false

func axpyVecF32(a float32, x, y []float32)    { axpyF32(a, x, y) }
func scaleVecF32(out, x []float32, a float32) { scaleF32(out, x, a) }

// The AVX loops do not exist here; useAVX is false, so nothing calls them.

func axpyAVXF32(a float32, x, y []float32)    { panic("ops: no AVX without assembly") }
func scaleAVXF32(out, x []float32, a float32) { panic("ops: no AVX without assembly") }
func combineAVXF32(out, w []float32, stride int, ks []int32, cs []float32) {
	panic("ops: no AVX without assembly")
}
func eventsAVXF32(fixed, table []float32, cols int, idx []int32, vals []float32, gain float32, scatter bool) {
	panic("ops: no AVX without assembly")
}

func heavisideVecF32(out, u []float32)                    { heavisideF32(out, u) }
func membraneVecF32(out, u, i, r []float32, beta float32) { membraneF32(out, u, i, r, beta) }
func lifGradIVecF32(out, d, e, r []float32, beta float32) { lifGradIF32(out, d, e, r, beta) }
func lifGradUVecF32(out, u, g, d, r []float32, num, b, beta float32) {
	lifGradUF32(out, u, g, d, r, num, b, beta)
}

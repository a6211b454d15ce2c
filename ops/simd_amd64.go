package ops

import "golang.org/x/sys/cpu"

// SSE loops of simd_amd64.s: each handles len(out)/4 blocks of four; all
// slices are at least that long.

//go:noescape
func heavisideF32(out, u []float32)

//go:noescape
func membraneF32(out, u, i, r []float32, beta float32)

//go:noescape
func axpbyF32(out, u, i []float32, beta float32)

//go:noescape
func scaleF32(out, x []float32, a float32)

//go:noescape
func maskScaleF32(out, g, r []float32, a float32)

//go:noescape
func lifGradIF32(out, d, e, r []float32, beta float32)

//go:noescape
func lifGradUF32(out, u, g, d, r []float32, num, b, beta float32)

//go:noescape
func surrogateF32(out, u, g []float32, num, b float32)

//go:noescape
func axpyF32(a float32, x, y []float32)

//go:noescape
func nonzerosF32(x []float32, idx []int32) int

// useAVX selects the AVX loops of simd_avx_amd64.s, eight floats at a time,
// where the CPU and the OS support them.
var useAVX = cpu.X86.HasAVX

//go:noescape
func axpyAVXF32(a float32, x, y []float32)

//go:noescape
func scaleAVXF32(out, x []float32, a float32)

// axpyVecF32 and scaleVecF32 run the AVX loop if there is one, else SSE.
func axpyVecF32(a float32, x, y []float32) {
	if useAVX {
		axpyAVXF32(a, x, y)
		return
	}
	axpyF32(a, x, y)
}

func scaleVecF32(out, x []float32, a float32) {
	if useAVX {
		scaleAVXF32(out, x, a)
		return
	}
	scaleF32(out, x, a)
}

//go:noescape
func combineAVXF32(out, w []float32, stride int, ks []int32, cs []float32)

//go:noescape
func heavisideAVXF32(out, u []float32)

//go:noescape
func membraneAVXF32(out, u, i, r []float32, beta float32)

//go:noescape
func lifGradIAVXF32(out, d, e, r []float32, beta float32)

//go:noescape
func lifGradUAVXF32(out, u, g, d, r []float32, num, b, beta float32)

// avxLen is how much of n elements the AVX loops take: a multiple of 8,
// none without AVX; the SSE loops do the rest.
func avxLen(n int) int {
	if !useAVX {
		return 0
	}
	return n &^ 7
}

func heavisideVecF32(out, u []float32) {
	m := avxLen(len(out))
	heavisideAVXF32(out[:m], u[:m])
	heavisideF32(out[m:], u[m:])
}

func membraneVecF32(out, u, i, r []float32, beta float32) {
	m := avxLen(len(out))
	membraneAVXF32(out[:m], u[:m], i[:m], r[:m], beta)
	membraneF32(out[m:], u[m:], i[m:], r[m:], beta)
}

func lifGradIVecF32(out, d, e, r []float32, beta float32) {
	m := avxLen(len(out))
	lifGradIAVXF32(out[:m], d[:m], e[:m], r[:m], beta)
	lifGradIF32(out[m:], d[m:], e[m:], r[m:], beta)
}

func lifGradUVecF32(out, u, g, d, r []float32, num, b, beta float32) {
	m := avxLen(len(out))
	lifGradUAVXF32(out[:m], u[:m], g[:m], d[:m], r[:m], num, b, beta)
	lifGradUF32(out[m:], u[m:], g[m:], d[m:], r[m:], num, b, beta)
}

//go:noescape
func eventsAVXF32(fixed, table []float32, cols int, idx []int32, vals []float32, gain float32, scatter bool)

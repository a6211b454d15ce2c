package ops

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

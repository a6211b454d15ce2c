//go:build amd64 && !purego

package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The AVX loops equal the SSE ones bit for bit. (The kernel tests run
// every loop with and without AVX against the scalar formulas.)
func TestAVXMatchesSSE(t *testing.T) {
	if !UseAVX {
		t.Skip("no AVX on this machine")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	vec := func(n int) []float32 {
		special := []float32{1, 0, float32(math.Copysign(0, -1)), float32(math.NaN()),
			float32(math.Inf(1)), float32(math.Inf(-1)), 1 + 1e-7, 1 - 1e-7, -1, 2}
		x := make([]float32, n)
		for i := range x {
			if rng.IntN(4) == 0 {
				x[i] = special[rng.IntN(len(special))]
			} else {
				x[i] = float32(4*rng.Float64() - 2)
			}
		}
		return x
	}
	same := func(name string, n int, got, want []float32) {
		t.Helper()
		for i := range want {
			g, w := got[i], want[i]
			if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
				t.Fatalf("%s, length %d: element %d is %v, want %v", name, n, i, g, w)
			}
		}
	}
	for n := 0; n < 100; n += 4 {
		x, y := vec(n), vec(n)
		a := float32(4*rng.Float64() - 2)
		ySSE, yAVX := append([]float32(nil), y...), append([]float32(nil), y...)
		axpySSE(a, x, ySSE)
		axpyAVX(a, x, yAVX)
		same("axpy AVX", n, yAVX, ySSE)
		oSSE, oAVX := make([]float32, n), append([]float32(nil), x...)
		scaleSSE(oSSE, x, a)
		scaleAVX(oAVX, oAVX, a) // in place
		same("scale AVX", n, oAVX, oSSE)
	}
}

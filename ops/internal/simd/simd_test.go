package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Each loop equals, bit for bit, its formula evaluated one element at a
// time in Go, on values at the edges (the threshold, ±0, NaN, ±Inf), with
// the AVX loops and without. In the purego build this checks the Go loops
// against the formulas; the kernel tests check the tails and in-place use.

func edgeVector(rng *rand.Rand, n int) []float32 {
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

func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range want {
		g, w := got[i], want[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			t.Fatalf("%s, length %d: element %d is %v, want %v", name, len(want), i, g, w)
		}
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func TestLoopsMatchFormulas(t *testing.T) {
	run := func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		const beta, num, b = float32(0.9), float32(3), float32(10)
		for n := 0; n < 80; n += 4 {
			u, i, g, d, e := edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n)
			r := edgeVector(rng, n)
			out, want := make([]float32, n), make([]float32, n)
			check := func(name string, f func(k int) float32) {
				t.Helper()
				for k := range want {
					want[k] = f(k)
				}
				sameBits(t, name, out, want)
			}
			Heaviside(out, u)
			check("Heaviside", func(k int) float32 {
				if u[k] >= 1 {
					return 1
				}
				return 0
			})
			Membrane(out, u, i, r, beta)
			check("Membrane", func(k int) float32 { return (beta*u[k] + i[k]) * (1 - r[k]) })
			Integrate(out, u, i, beta)
			check("Integrate", func(k int) float32 { return beta*u[k] + i[k] })
			Scale(out, g, beta)
			check("Scale", func(k int) float32 { return beta * g[k] })
			MaskScale(out, g, r, beta)
			check("MaskScale", func(k int) float32 { return beta * g[k] * (1 - r[k]) })
			LIFGradI(out, d, e, r, beta)
			check("LIFGradI", func(k int) float32 { return (1-r[k])*d[k] + beta*e[k] })
			LIFGradU(out, u, g, d, r, num, b, beta)
			check("LIFGradU", func(k int) float32 {
				q := b*abs32(u[k]-1) + 1
				return g[k]*(num/(q*q)) + beta*(1-r[k])*d[k]
			})
			SurrogateGrad(out, u, g, num, b)
			check("SurrogateGrad", func(k int) float32 {
				q := b*abs32(u[k]-1) + 1
				return g[k] * (num / (q * q))
			})
			copy(out, d)
			AddScaled(out, beta, g)
			check("AddScaled", func(k int) float32 { return d[k] + beta*g[k] })
		}
		for n := 0; n < 100; n += 7 {
			x := edgeVector(rng, n)
			for k := range x {
				if rng.IntN(2) == 0 {
					x[k] = 0
				}
			}
			idx := make([]int32, n)
			var want []int32
			for k, v := range x[:n&^15] {
				if v != 0 {
					want = append(want, int32(k))
				}
			}
			got := idx[:Nonzeros(idx, x)]
			if len(got) != len(want) {
				t.Fatalf("Nonzeros, length %d: %v, want %v", n, got, want)
			}
			for k := range want {
				if got[k] != want[k] {
					t.Fatalf("Nonzeros, length %d: %v, want %v", n, got, want)
				}
			}
		}
	}
	t.Run("default", run)
	if UseAVX {
		UseAVX = false
		defer func() { UseAVX = true }()
		t.Run("SSE", run)
	}
}

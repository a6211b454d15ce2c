//go:build amd64 && !purego

package simd

import (
	"fmt"
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

// The event loops add their terms one event at a time, in order, as the Go
// loops below do: on rows of 64-column blocks and of 8, with zero events,
// repeated rows, runs of equal and of nearly equal values (the scatter
// reuses a·src while a repeats: +0 and −0 must not count as equal) and
// edge values.
func TestEventsMatchGo(t *testing.T) {
	if !UseAVX {
		t.Skip("no AVX on this machine")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	negZero := float32(math.Copysign(0, -1))
	vals := func(n int) []float32 {
		v := edgeVector(rng, n)
		for k := range v {
			switch rng.IntN(4) {
			case 0, 1:
				v[k] = 1 // a spike
			case 2:
				v[k] = []float32{0, negZero, 1, -1}[rng.IntN(4)]
			}
		}
		return v
	}
	const rows = 9
	for _, cols := range []int{8, 13, 64, 71, 72, 128, 130, 136, 200} {
		for _, n := range []int{0, 1, 2, 5, 17} {
			for _, gain := range []float32{1, 0.37, negZero, float32(math.Inf(1))} {
				table := edgeVector(rng, rows*cols)
				idx := make([]int32, n)
				for k := range idx {
					idx[k] = int32(rng.IntN(rows))
				}
				v := vals(n)
				m := cols &^ 7
				if rng.IntN(2) == 0 {
					m -= 8 * rng.IntN(m/8+1) // fewer columns than the rows hold
				}
				name := func(op string) string {
					return fmt.Sprintf("%s cols=%d len=%d events=%d gain=%v", op, cols, m, n, gain)
				}

				dst := edgeVector(rng, m)
				want := append([]float32(nil), dst...)
				for k, a := range v {
					a *= gain
					for j := range want {
						want[j] = want[j] + a*table[int(idx[k])*cols+j]
					}
				}
				GatherEvents(dst, table, cols, idx, v, gain)
				sameBits(t, name("gather"), dst, want)

				src := edgeVector(rng, m)
				wantT := append([]float32(nil), table...)
				for k, a := range v {
					a *= gain
					row := wantT[int(idx[k])*cols:]
					for j := range src {
						row[j] = row[j] + a*src[j]
					}
				}
				ScatterEvents(table, src, cols, idx, v, gain)
				sameBits(t, name("scatter"), table, wantT)
			}
		}
	}
}

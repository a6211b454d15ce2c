//go:build amd64 && !purego

package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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
// loops below do: on rows of 64-column blocks and of 8 (and a tail they
// leave alone), with rows of zero events, repeated table rows, runs of
// equal and of nearly equal values (the scatter reuses a·src while a
// repeats: +0 and −0 must not count as equal), edge values, and for the
// scatter rows of the matrix that are not in table (skipped).
func TestEventsMatchGo(t *testing.T) {
	if !UseAVX {
		t.Skip("no AVX on this machine")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	negZero := float32(math.Copysign(0, -1))
	const tableRows = 9
	for _, cols := range []int{3, 8, 13, 64, 71, 72, 128, 130, 136, 200} {
		for _, rows := range []int{0, 1, 4} {
			for _, gain := range []float32{1, 0.37, negZero, float32(math.Inf(1))} {
				start := []int32{0}
				var idx []int32
				var vals []float32
				for b := 0; b < rows; b++ {
					for n := []int{0, 1, 2, 5, 17}[rng.IntN(5)]; n > 0; n-- {
						idx = append(idx, int32(rng.IntN(tableRows)))
						v := edgeVector(rng, 1)[0]
						switch rng.IntN(4) {
						case 0, 1:
							v = 1 // a spike
						case 2:
							v = []float32{0, negZero, 1, -1}[rng.IntN(4)]
						}
						vals = append(vals, v)
					}
					start = append(start, int32(len(idx)))
				}
				if rows > 0 && rng.IntN(2) == 0 {
					start = start[1:] // rows from the middle of an index
					rows--
				}
				m := cols &^ 7
				name := func(op string) string {
					return fmt.Sprintf("%s cols=%d rows=%d gain=%v", op, cols, rows, gain)
				}

				table := edgeVector(rng, tableRows*cols)
				dst := edgeVector(rng, rows*cols)
				want := append([]float32(nil), dst...)
				for b := 0; b < rows; b++ {
					for k := start[b]; k < start[b+1]; k++ {
						a := vals[k] * gain
						for j := 0; j < m; j++ {
							want[b*cols+j] = want[b*cols+j] + a*table[int(idx[k])*cols+j]
						}
					}
				}
				GatherEventRows(dst, table, cols, start, idx, vals, gain)
				sameBits(t, name("gather"), dst, want)

				src := edgeVector(rng, rows*cols)
				first, n := 0, tableRows // the rows of the matrix in table
				if rng.IntN(2) == 0 {
					first = rng.IntN(tableRows)
					n = rng.IntN(tableRows - first + 1)
				}
				wantT := append([]float32(nil), table...)
				for b := 0; b < rows; b++ {
					for k := start[b]; k < start[b+1]; k++ {
						if int(idx[k]) < first || int(idx[k]) >= first+n {
							continue
						}
						a := vals[k] * gain
						row := wantT[int(idx[k])*cols:]
						for j := 0; j < m; j++ {
							row[j] = row[j] + a*src[b*cols+j]
						}
					}
				}
				ScatterEventRows(table[first*cols:(first+n)*cols], first, src, cols, start, idx, vals, gain)
				sameBits(t, name("scatter"), table, wantT)
			}
		}
	}
}

// HeavisideIndex writes Heaviside's spikes and lists exactly their
// positions, in order.
func TestHeavisideIndexMatchesGo(t *testing.T) {
	if !UseAVX {
		t.Skip("no AVX on this machine")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 0; n < 300; n += 8 {
		u := edgeVector(rng, n)
		want := make([]float32, n)
		var wantIdx []int32
		for k, v := range u {
			if v >= 1 {
				want[k] = 1
				wantIdx = append(wantIdx, int32(k))
			}
		}
		out, idx := edgeVector(rng, n), make([]int32, n)
		got := idx[:HeavisideIndex(out, u, idx)]
		sameBits(t, "HeavisideIndex", out, want)
		if !slices.Equal(got, wantIdx) {
			t.Fatalf("HeavisideIndex, length %d: positions %v, want %v", n, got, wantIdx)
		}
	}
}

//go:build amd64 && !purego

package simd

import (
	"math/rand/v2"
	"testing"
)

// Max and ArgMax equal MaxOverTime's Go loops bit for bit: x wins where
// x > m, and a winner is recorded wherever m is no longer equal to what it
// was (so a NaN in m takes every step).
func TestMaxMatchesGoLoops(t *testing.T) {
	if !UseAVX {
		t.Skip("no AVX")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 90; n++ {
		m0 := edgeVector(rng, n)
		m, want := append([]float32(nil), m0...), append([]float32(nil), m0...)
		win, wantWin := make([]int32, n), make([]int32, n)
		for j := int32(0); j < 6; j++ {
			x := edgeVector(rng, n)
			k := n &^ 7
			ArgMax(m, win, x, j)
			for i, v := range x[:k] {
				old := want[i]
				if v > old {
					want[i] = v
				}
				if !(old == want[i]) {
					wantWin[i] = j
				}
			}
			sameBits(t, "ArgMax", m[:k], want[:k])
			for i := range wantWin[:k] {
				if win[i] != wantWin[i] {
					t.Fatalf("ArgMax, length %d, step %d: winner %d is %d, want %d", n, j, i, win[i], wantWin[i])
				}
			}
			// The tail is left alone.
			sameBits(t, "ArgMax tail", m[k:], m0[k:])
		}
		m = append(m[:0], m0...)
		want = append(want[:0], m0...)
		x := edgeVector(rng, n)
		Max(m, x)
		for i, v := range x[:n&^7] {
			if v > want[i] {
				want[i] = v
			}
		}
		sameBits(t, "Max", m, want)
	}
}

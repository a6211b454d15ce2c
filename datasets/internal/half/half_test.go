package half

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestToFloat32(t *testing.T) {
	for _, tc := range []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x3bff, 0.99951171875},      // largest value below 1
		{0x7bff, 65504},              // largest finite value
		{0x0400, 1.0 / (1 << 14)},    // smallest normal value
		{0x0001, 1.0 / (1 << 24)},    // smallest subnormal value
		{0x03ff, 1023.0 / (1 << 24)}, // largest subnormal value
		{0x8001, -1.0 / (1 << 24)},
		{0x7c00, math.Inf(1)},
		{0xfc00, math.Inf(-1)},
	} {
		if got := ToFloat32(tc.bits); float64(got) != tc.want {
			t.Errorf("half 0x%04x = %g, want %g", tc.bits, got, tc.want)
		}
	}
	if got := ToFloat32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("half 0x8000 = %g, want -0", got)
	}
	for _, bits := range []uint16{0x7e00, 0x7c01, 0xfe00, 0x7fff} {
		if got := ToFloat32(bits); !math.IsNaN(float64(got)) {
			t.Errorf("half 0x%04x = %g, want NaN", bits, got)
		}
	}
	// Every finite half value is distinct and ordered like its bits.
	prev := float32(math.Inf(-1))
	for h := 0; h < 0x7c00; h++ {
		f := ToFloat32(uint16(h))
		if h > 0 && !(f > prev) {
			t.Fatalf("half 0x%04x = %g is not above 0x%04x = %g", h, f, h-1, prev)
		}
		prev = f
	}
}

func TestFromFloat32(t *testing.T) {
	// Every half value converts back to its own bits.
	for h := range 1 << 16 {
		f := ToFloat32(uint16(h))
		got := FromFloat32(f)
		if math.IsNaN(float64(f)) {
			if !math.IsNaN(float64(ToFloat32(got))) {
				t.Fatalf("NaN 0x%04x became 0x%04x", h, got)
			}
			continue
		}
		if got != uint16(h) {
			t.Fatalf("half 0x%04x = %g converts back to 0x%04x", h, f, got)
		}
	}
	// Rounding to nearest, ties to even, at the edges of the range.
	for _, tc := range []struct {
		f    float32
		want uint16
	}{
		{1 + 1.0/(1<<11), 0x3c00}, // tie between 1 and the next half: even
		{1 + 3.0/(1<<11), 0x3c02}, // tie: up to even
		{1 + 1.0/(1<<11) + 1.0/(1<<20), 0x3c01},
		{65504 + 15, 0x7bff}, // below the tie with infinity
		{65520, 0x7c00},      // tie with infinity: rounds up
		{1e6, 0x7c00},        // overflow
		{-1e6, 0xfc00},
		{1.0 / (1 << 25), 0x0000},    // half the smallest subnormal: even
		{1.5 / (1 << 25), 0x0001},    // above that tie
		{3.0 / (1 << 25), 0x0002},    // 1.5 subnormals: even
		{1023.5 / (1 << 24), 0x0400}, // largest subnormal rounds up to normal
		{1e-30, 0x0000},              // underflow
		{float32(math.Inf(-1)), 0xfc00},
		{-0.5, 0xb800},
	} {
		if got := FromFloat32(tc.f); got != tc.want {
			t.Errorf("FromFloat32(%g) = 0x%04x, want 0x%04x", tc.f, got, tc.want)
		}
	}
	// Random values in the finite range go to a nearest half.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		f := float32((rng.Float64()*2 - 1) * math.Pow(2, float64(rng.IntN(42)-26)))
		h := FromFloat32(f)
		d := math.Abs(float64(ToFloat32(h)) - float64(f))
		for _, n := range []uint16{h - 1, h + 1} {
			if v := ToFloat32(n); !math.IsNaN(float64(v)) && math.Abs(float64(v)-float64(f)) < d {
				t.Fatalf("FromFloat32(%g) = %g, but %g is nearer", f, ToFloat32(h), v)
			}
		}
	}
}

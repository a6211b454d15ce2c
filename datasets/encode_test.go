package datasets

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/scigolib/hdf5"
)

func TestFloatToHalf(t *testing.T) {
	// Every half value converts back to its own bits.
	for h := range 1 << 16 {
		f := halfToFloat32(uint16(h))
		got := floatToHalf(f)
		if math.IsNaN(float64(f)) {
			if !math.IsNaN(float64(halfToFloat32(got))) {
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
		if got := floatToHalf(tc.f); got != tc.want {
			t.Errorf("floatToHalf(%g) = 0x%04x, want 0x%04x", tc.f, got, tc.want)
		}
	}
	// Random values in the finite range go to a nearest half.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		f := float32((rng.Float64()*2 - 1) * math.Pow(2, float64(rng.IntN(42)-26)))
		h := floatToHalf(f)
		d := math.Abs(float64(halfToFloat32(h)) - float64(f))
		for _, n := range []uint16{h - 1, h + 1} {
			if v := halfToFloat32(n); !math.IsNaN(float64(v)) && math.Abs(float64(v)-float64(f)) < d {
				t.Fatalf("floatToHalf(%g) = %g, but %g is nearer", f, halfToFloat32(h), v)
			}
		}
	}
}

func TestWriteHDF5RemovesFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.h5")
	err := writeHDF5(path, nil, []hdf5Set{{path: "/x", dtype: hdf5.Uint16, dims: []uint64{3}, data: "not numbers"}})
	if err == nil {
		t.Fatal("no error")
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Errorf("the failed write left %s behind (error %v)", path, err)
	}
	if err := writeHDF5(filepath.Join(t.TempDir(), "no", "such", "dir.h5"), nil, nil); err == nil {
		t.Error("no error for a file in a missing directory")
	}
}

func TestAudioEncodersRoundTrip(t *testing.T) {
	x := sineTone(440, 8000, 1.2, 0.5) // more than two FLAC blocks
	b, err := monoFLAC(x, 8000)
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeFLAC(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRate != 8000 || len(a.Samples) != len(x) || math.Abs(a.Samples[1000]-x[1000]) > 1e-4 {
		t.Errorf("FLAC: decoded %d samples at %d Hz", len(a.Samples), a.SampleRate)
	}
	// A last frame under 16 samples would make the stream header invalid.
	for _, n := range []int{16, 17, 4096, 4096 + 1, 4096 + 15, 4096 + 16, 2*4096 + 7} {
		b, err := monoFLAC(x[:n], 8000)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := DecodeFLAC(bytes.NewReader(b)); err != nil || len(a.Samples) != n {
			t.Errorf("%d samples: decoded %d, %v", n, len(a.Samples), err)
		}
	}
	if b, err = monoWAV(x, 8000); err != nil {
		t.Fatal(err)
	}
	if a, err := DecodeWAV(bytes.NewReader(b)); err != nil || len(a.Samples) != len(x) || math.Abs(a.Samples[1000]-x[1000]) > 1e-4 {
		t.Errorf("WAV: %d samples, %v", len(a.Samples), err)
	}
	for name, f := range map[string]func() ([]byte, error){
		"FLAC without samples": func() ([]byte, error) { return encodeFLAC([][]int32{{}}, 8000, 16) },
		"FLAC of 15 samples":   func() ([]byte, error) { return encodeFLAC([][]int32{make([]int32, 15)}, 8000, 16) },
		"FLAC of 3 channels":   func() ([]byte, error) { return encodeFLAC(make([][]int32, 3), 8000, 16) },
		"FLAC of 40 bits":      func() ([]byte, error) { return encodeFLAC([][]int32{make([]int32, 16)}, 8000, 40) },
		"WAV of half a frame":  func() ([]byte, error) { return encodeWAV([]int{1, 2, 3}, 8000, 16, 2, nil) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

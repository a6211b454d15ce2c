package audioenc_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

func TestRoundTrip(t *testing.T) {
	x := tone(440, 8000, 1.2, 0.5) // more than two FLAC blocks
	b, err := audioenc.MonoFLAC(x, 8000)
	if err != nil {
		t.Fatal(err)
	}
	a, err := decode.FLAC(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRate != 8000 || len(a.Samples) != len(x) || math.Abs(a.Samples[1000]-x[1000]) > 1e-4 {
		t.Errorf("FLAC: decoded %d samples at %d Hz", len(a.Samples), a.SampleRate)
	}
	// A last frame under 16 samples would make the stream header invalid.
	for _, n := range []int{16, 17, 4096, 4096 + 1, 4096 + 15, 4096 + 16, 2*4096 + 7} {
		b, err := audioenc.MonoFLAC(x[:n], 8000)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := decode.FLAC(bytes.NewReader(b)); err != nil || len(a.Samples) != n {
			t.Errorf("%d samples: decoded %d, %v", n, len(a.Samples), err)
		}
	}
	if b, err = audioenc.MonoWAV(x, 8000); err != nil {
		t.Fatal(err)
	}
	if a, err := decode.WAV(bytes.NewReader(b)); err != nil || len(a.Samples) != len(x) || math.Abs(a.Samples[1000]-x[1000]) > 1e-4 {
		t.Errorf("WAV: %d samples, %v", len(a.Samples), err)
	}
	for name, f := range map[string]func() ([]byte, error){
		"FLAC without samples": func() ([]byte, error) { return audioenc.FLAC([][]int32{{}}, 8000, 16) },
		"FLAC of 15 samples":   func() ([]byte, error) { return audioenc.FLAC([][]int32{make([]int32, 15)}, 8000, 16) },
		"FLAC of 3 channels":   func() ([]byte, error) { return audioenc.FLAC(make([][]int32, 3), 8000, 16) },
		"FLAC of 40 bits":      func() ([]byte, error) { return audioenc.FLAC([][]int32{make([]int32, 16)}, 8000, 40) },
		"WAV of half a frame":  func() ([]byte, error) { return audioenc.WAV([]int{1, 2, 3}, 8000, 16, 2, nil) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// tone returns amp·sin(2πf·t) sampled at rate for secs seconds.
func tone(freq float64, rate int, secs, amp float64) []float64 {
	x := make([]float64, int(secs*float64(rate)))
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

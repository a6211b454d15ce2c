package audiotest

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-audio/wav"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

// Tone returns amp·sin(2πf·t) sampled at rate for secs seconds.
func Tone(freq float64, rate int, secs, amp float64) []float64 {
	x := make([]float64, int(secs*float64(rate)))
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

// WAV encodes interleaved integer samples as a WAV file with
// go-audio/wav. With meta set it appends a LIST chunk after the data.
func WAV(t testing.TB, pcm []int, rate, bits, channels int, withMeta bool) []byte {
	t.Helper()
	var md *wav.Metadata
	if withMeta {
		md = &wav.Metadata{Artist: "spikegrad test"}
	}
	b, err := audioenc.WAV(pcm, rate, bits, channels, md)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FLAC encodes per-channel integer samples as FLAC with the mewkiz/flac
// encoder, in verbatim-predicted blocks of up to 4096 samples, with the
// length and MD5 signature in the header.
func FLAC(t testing.TB, chans [][]int32, rate, bits int) []byte {
	t.Helper()
	b, err := audioenc.FLAC(chans, rate, bits)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// MonoFLAC encodes a mono signal in [-1, 1) as 16-bit FLAC.
func MonoFLAC(t testing.TB, x []float64, rate int) []byte {
	t.Helper()
	b, err := audioenc.MonoFLAC(x, rate)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// MonoWAV encodes a mono signal in [-1, 1) as 16-bit WAV.
func MonoWAV(t testing.TB, x []float64, rate int) []byte {
	t.Helper()
	b, err := audioenc.MonoWAV(x, rate)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// WriteFile writes b to path, creating its directory.
func WriteFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// MelChannel returns the filter whose centre, computed from the HTK Mel
// scale independently of package mel, is nearest to f for n filters
// spanning 0 Hz to nyq.
func MelChannel(f, nyq float64, n int) int {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	step := mel(nyq) / float64(n+1)
	k := int(math.Round(mel(f)/step)) - 1
	return max(0, min(n-1, k))
}

// MelCentre returns the centre frequency of filter k under the same
// assumptions as MelChannel.
func MelCentre(k int, nyq float64, n int) float64 {
	m := 2595 * math.Log10(1+nyq/700) * float64(k+1) / float64(n+1)
	return 700 * (math.Pow(10, m/2595) - 1)
}

// ArgmaxChannel returns the channel with the largest mean feature.
func ArgmaxChannel(feats [][]float64) int {
	best, arg := math.Inf(-1), -1
	for k := range feats[0] {
		var s float64
		for _, row := range feats {
			s += row[k]
		}
		if s > best {
			best, arg = s, k
		}
	}
	return arg
}

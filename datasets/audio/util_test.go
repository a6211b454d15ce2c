package audio

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-audio/wav"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

// testTone returns amp·sin(2πf·t) sampled at rate for secs seconds.
func testTone(freq float64, rate int, secs, amp float64) []float64 {
	x := make([]float64, int(secs*float64(rate)))
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

// testPCM quantises samples in [-1, 1) to signed integers of the given width.
func testPCM(x []float64, bits int) []int { return audioenc.Quantize(x, bits) }

// testWAVBytes encodes interleaved integer samples as a WAV file with
// go-audio/wav. With meta set it appends a LIST chunk after the data.
func testWAVBytes(t testing.TB, pcm []int, rate, bits, channels int, withMeta bool) []byte {
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

// testRawWAV builds a canonical WAV file by hand: a 16-byte fmt chunk with
// the given format tag, then the data chunk.
func testRawWAV(tag uint16, channels, bits, rate int, data []byte) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(4 + 8 + 16 + 8 + len(data)))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(tag)
	le(uint16(channels))
	le(uint32(rate))
	le(uint32(rate * channels * bits / 8))
	le(uint16(channels * bits / 8))
	le(uint16(bits))
	b.WriteString("data")
	le(uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

// testFLACBytes encodes per-channel integer samples as FLAC with the
// mewkiz/flac encoder, in verbatim-predicted blocks of up to 4096 samples, with
// the length and MD5 signature in the header.
func testFLACBytes(t testing.TB, chans [][]int32, rate, bits int) []byte {
	t.Helper()
	b, err := audioenc.FLAC(chans, rate, bits)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testMonoFLAC encodes a mono signal in [-1, 1) as 16-bit FLAC.
func testMonoFLAC(t testing.TB, x []float64, rate int) []byte {
	t.Helper()
	b, err := audioenc.MonoFLAC(x, rate)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testMonoWAV encodes a mono signal in [-1, 1) as 16-bit WAV.
func testMonoWAV(t testing.TB, x []float64, rate int) []byte {
	t.Helper()
	b, err := audioenc.MonoWAV(x, rate)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testWriteFile writes b to path, creating its directory.
func testWriteFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// testMelChannel returns the filter whose centre, computed from the HTK Mel
// scale independently of mel.go, is nearest to f for n filters spanning
// 0 Hz to nyq.
func testMelChannel(f, nyq float64, n int) int {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	step := mel(nyq) / float64(n+1)
	k := int(math.Round(mel(f)/step)) - 1
	return max(0, min(n-1, k))
}

// testMelCentre returns the centre frequency of filter k under the same
// assumptions as testMelChannel.
func testMelCentre(k int, nyq float64, n int) float64 {
	m := 2595 * math.Log10(1+nyq/700) * float64(k+1) / float64(n+1)
	return 700 * (math.Pow(10, m/2595) - 1)
}

// testArgmaxChannel returns the channel with the largest mean feature.
func testArgmaxChannel(feats [][]float64) int {
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

// testContains reports whether one of lines contains all of parts.
func testContains(lines []string, parts ...string) bool {
	for _, l := range lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}

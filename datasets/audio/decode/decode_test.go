package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

func TestWAVDecodeMatchesPCM(t *testing.T) {
	x := audiotest.Tone(440, 16000, 0.1, 0.5)
	pcm := audioenc.Quantize(x, 16)
	// The LIST chunk after the data must not be read as samples.
	a, err := WAV(bytes.NewReader(audiotest.WAV(t, pcm, 16000, 16, 1, true)))
	if err != nil {
		t.Fatal(err)
	}
	if a.SampleRate != 16000 || len(a.Samples) != len(pcm) {
		t.Fatalf("got %d samples at %d Hz, want %d at 16000", len(a.Samples), a.SampleRate, len(pcm))
	}
	for i, v := range pcm {
		if want := float64(v) / 32768; a.Samples[i] != want {
			t.Fatalf("sample %d = %g, want %g", i, a.Samples[i], want)
		}
	}
}

func TestWAVStereoMixdown(t *testing.T) {
	// Interleaved L, R: the mono sample is their mean.
	pcm := []int{1000, 3000, -2000, 0, 32767, 32767}
	a, err := WAV(bytes.NewReader(audiotest.WAV(t, pcm, 8000, 16, 2, false)))
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2000.0 / 32768, -1000.0 / 32768, 32767.0 / 32768}
	if len(a.Samples) != 3 {
		t.Fatalf("got %d samples, want 3", len(a.Samples))
	}
	for i := range want {
		if math.Abs(a.Samples[i]-want[i]) > 1e-12 {
			t.Errorf("sample %d = %g, want %g", i, a.Samples[i], want[i])
		}
	}
}

func TestWAVBitDepths(t *testing.T) {
	for _, tc := range []struct {
		bits int
		data []byte
		want []float64
	}{
		{8, []byte{0, 128, 255, 192}, []float64{-1, 0, 127.0 / 128, 0.5}},
		{24, []byte{0, 0, 0x80, 0xff, 0xff, 0x7f}, []float64{-1, 0x7fffff / float64(1<<23)}},
		{32, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 1<<30), 0x80000000), []float64{0.5, -1}},
	} {
		a, err := WAV(bytes.NewReader(testRawWAV(1, 1, tc.bits, 16000, tc.data)))
		if err != nil {
			t.Fatalf("%d bits: %v", tc.bits, err)
		}
		for i := range tc.want {
			if a.Samples[i] != tc.want[i] {
				t.Errorf("%d bits: sample %d = %g, want %g", tc.bits, i, a.Samples[i], tc.want[i])
			}
		}
	}
}

func TestWAVRejectsBadData(t *testing.T) {
	good := audiotest.MonoWAV(t, audiotest.Tone(440, 16000, 0.05, 0.5), 16000)
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "not a RIFF", nil},
		{"not RIFF", "not a RIFF", []byte("RIFX0000WAVEfmt ")},
		{"truncated data", "truncated", good[:len(good)-100]},
		{"cut inside fmt", "truncated", good[:20]},
		{"no data chunk", "no data chunk", good[:36]},
		{"float", "not integer PCM", testRawWAV(3, 1, 32, 16000, make([]byte, 8))},
		{"odd block", "whole number", testRawWAV(1, 1, 16, 16000, make([]byte, 5))},
		{"12 bits", "bit depth", testRawWAV(1, 1, 12, 16000, make([]byte, 4))},
		{"no samples", "no samples", testRawWAV(1, 1, 16, 16000, nil)},
		{"huge fmt chunk", "truncated", append([]byte("RIFF\x00\x00\x00\x00WAVEfmt \xff\xff\xff\x7f"), make([]byte, 32)...)},
	} {
		_, err := WAV(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestFLACDecodeMatchesPCM(t *testing.T) {
	x := audiotest.Tone(1000, 48000, 0.2, 0.7) // spans several 4096-sample blocks
	a, err := FLAC(bytes.NewReader(audiotest.MonoFLAC(t, x, 48000)))
	if err != nil {
		t.Fatal(err)
	}
	pcm := audioenc.Quantize(x, 16)
	if a.SampleRate != 48000 || len(a.Samples) != len(pcm) {
		t.Fatalf("got %d samples at %d Hz, want %d at 48000", len(a.Samples), a.SampleRate, len(pcm))
	}
	for i, v := range pcm {
		if want := float64(v) / 32768; a.Samples[i] != want {
			t.Fatalf("sample %d = %g, want %g", i, a.Samples[i], want)
		}
	}
}

func TestFLACStereoMixdown(t *testing.T) {
	// The library rejects blocks shorter than 16 samples.
	l := []int32{100, -200, 300, 400, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	r := []int32{300, 200, -300, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -32768}
	a, err := FLAC(bytes.NewReader(audiotest.FLAC(t, [][]int32{l, r}, 16000, 16)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range l {
		if want := float64(l[i]+r[i]) / 2 / 32768; a.Samples[i] != want {
			t.Errorf("sample %d = %g, want %g", i, a.Samples[i], want)
		}
	}
}

func TestFLACRejectsBadData(t *testing.T) {
	good := audiotest.MonoFLAC(t, audiotest.Tone(440, 16000, 0.6, 0.5), 16000)
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x5a
		return b
	}
	// The MD5 signature is the last 16 bytes of the StreamInfo block,
	// which starts after "fLaC" and a 4-byte block header.
	const md5At = 4 + 4 + 18
	for _, tc := range []struct {
		name, want string
		data       []byte
	}{
		{"empty", "FLAC header", nil},
		{"not FLAC", "FLAC header", []byte("RIFF....WAVEfmt ")},
		{"truncated", "FLAC", good[:len(good)*2/3]},
		{"corrupt frame", "FLAC frame", flip(len(good) / 2)},
		{"bad MD5", "MD5", flip(md5At)},
	} {
		_, err := FLAC(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestFLACLengthMismatch(t *testing.T) {
	// A header that promises more samples than the frames hold is a
	// truncation at a frame boundary.
	b := audiotest.MonoFLAC(t, audiotest.Tone(440, 16000, 0.3, 0.5), 16000)
	// NSamples is the low 36 bits ending at byte 8+18 of the StreamInfo.
	n := binary.BigEndian.Uint32(b[8+14 : 8+18])
	binary.BigEndian.PutUint32(b[8+14:8+18], n+4096)
	_, err := FLAC(bytes.NewReader(b))
	if err == nil || !strings.Contains(err.Error(), "declares") {
		t.Fatalf("got error %v, want a length mismatch", err)
	}
}

func TestFileNamesFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ok.WAV")
	audiotest.WriteFile(t, good, audiotest.MonoWAV(t, audiotest.Tone(440, 16000, 0.05, 0.5), 16000))
	if _, err := File(good); err != nil {
		t.Fatalf("upper-case extension: %v", err)
	}
	bad := filepath.Join(dir, "bad.flac")
	audiotest.WriteFile(t, bad, []byte("not audio"))
	for _, p := range []string{bad, filepath.Join(dir, "missing.wav"), filepath.Join(dir, "x.mp3")} {
		_, err := File(p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("File(%s): got error %v, want one naming the file", p, err)
		}
		// A caller that names the file its own way gets the error without it.
		var fe *FileError
		if !errors.As(err, &fe) || fe.Path != p || strings.Contains(fe.Err.Error(), filepath.Dir(p)) {
			t.Errorf("File(%s): error %#v, want a *FileError whose Err leaves the path out", p, err)
		}
	}
}

// checkDecoded asserts the invariants of any successful decode.
func checkDecoded(t *testing.T, a Recording) {
	if a.SampleRate <= 0 || len(a.Samples) == 0 {
		t.Fatalf("decoded %d samples at %d Hz", len(a.Samples), a.SampleRate)
	}
	for i, v := range a.Samples {
		if !(v >= -1 && v < 1) {
			t.Fatalf("sample %d = %g outside [-1, 1)", i, v)
		}
	}
}

func FuzzWAV(f *testing.F) {
	good := audiotest.WAV(f, audioenc.Quantize(audiotest.Tone(440, 8000, 0.01, 0.9), 16), 8000, 16, 1, true)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(testRawWAV(1, 2, 24, 44100, make([]byte, 12)))
	f.Add(testRawWAV(0xFFFE, 1, 8, 8000, []byte{1, 2, 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := WAV(bytes.NewReader(b)); err == nil {
			checkDecoded(t, a)
		}
	})
}

func FuzzFLAC(f *testing.F) {
	good := audiotest.MonoFLAC(f, audiotest.Tone(440, 8000, 0.05, 0.9), 8000)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:60])
	ramp := make([]int32, 20)
	for i := range ramp {
		ramp[i] = int32(i * 100000)
	}
	f.Add(audiotest.FLAC(f, [][]int32{ramp, ramp}, 44100, 24))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := FLAC(bytes.NewReader(b)); err == nil {
			checkDecoded(t, a)
		}
	})
}

func TestFileErrorOnDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d.wav")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := File(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("got error %v, want one naming %s", err, dir)
	}
}

func TestDecoderPanicBecomesError(t *testing.T) {
	err := func() (err error) {
		defer recoverDecoder("FLAC", &err)
		var frames []int
		_ = frames[3] // what a library bug on corrupt input looks like
		return nil
	}()
	if err == nil || !strings.Contains(err.Error(), "FLAC decoder failed") {
		t.Fatalf("got %v, want the panic as an error", err)
	}
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

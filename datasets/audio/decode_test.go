package audio

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWAVDecodeMatchesPCM(t *testing.T) {
	x := testTone(440, 16000, 0.1, 0.5)
	pcm := testPCM(x, 16)
	// The LIST chunk after the data must not be read as samples.
	a, err := DecodeWAV(bytes.NewReader(testWAVBytes(t, pcm, 16000, 16, 1, true)))
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
	a, err := DecodeWAV(bytes.NewReader(testWAVBytes(t, pcm, 8000, 16, 2, false)))
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
		a, err := DecodeWAV(bytes.NewReader(testRawWAV(1, 1, tc.bits, 16000, tc.data)))
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
	good := testMonoWAV(t, testTone(440, 16000, 0.05, 0.5), 16000)
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
		_, err := DecodeWAV(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestFLACDecodeMatchesPCM(t *testing.T) {
	x := testTone(1000, 48000, 0.2, 0.7) // spans several 4096-sample blocks
	a, err := DecodeFLAC(bytes.NewReader(testMonoFLAC(t, x, 48000)))
	if err != nil {
		t.Fatal(err)
	}
	pcm := testPCM(x, 16)
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
	a, err := DecodeFLAC(bytes.NewReader(testFLACBytes(t, [][]int32{l, r}, 16000, 16)))
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
	good := testMonoFLAC(t, testTone(440, 16000, 0.6, 0.5), 16000)
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
		_, err := DecodeFLAC(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestFLACLengthMismatch(t *testing.T) {
	// A header that promises more samples than the frames hold is a
	// truncation at a frame boundary.
	b := testMonoFLAC(t, testTone(440, 16000, 0.3, 0.5), 16000)
	// NSamples is the low 36 bits ending at byte 8+18 of the StreamInfo.
	n := binary.BigEndian.Uint32(b[8+14 : 8+18])
	binary.BigEndian.PutUint32(b[8+14:8+18], n+4096)
	_, err := DecodeFLAC(bytes.NewReader(b))
	if err == nil || !strings.Contains(err.Error(), "declares") {
		t.Fatalf("got error %v, want a length mismatch", err)
	}
}

func TestAudioReadFileNamesFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ok.WAV")
	testWriteFile(t, good, testMonoWAV(t, testTone(440, 16000, 0.05, 0.5), 16000))
	if _, err := ReadFile(good); err != nil {
		t.Fatalf("upper-case extension: %v", err)
	}
	bad := filepath.Join(dir, "bad.flac")
	testWriteFile(t, bad, []byte("not audio"))
	for _, p := range []string{bad, filepath.Join(dir, "missing.wav"), filepath.Join(dir, "x.mp3")} {
		if _, err := ReadFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadFile(%s): got error %v, want one naming the file", p, err)
		}
	}
}

func TestAudioDecodeCounter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.wav")
	testWriteFile(t, p, testMonoWAV(t, testTone(440, 16000, 0.05, 0.5), 16000))
	before := decodes.Load()
	if _, err := ReadFile(p); err != nil {
		t.Fatal(err)
	}
	if got := decodes.Load() - before; got != 1 {
		t.Fatalf("decode counter moved by %d, want 1", got)
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
	good := testWAVBytes(f, testPCM(testTone(440, 8000, 0.01, 0.9), 16), 8000, 16, 1, true)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(testRawWAV(1, 2, 24, 44100, make([]byte, 12)))
	f.Add(testRawWAV(0xFFFE, 1, 8, 8000, []byte{1, 2, 3}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeWAV(bytes.NewReader(b)); err == nil {
			checkDecoded(t, a)
		}
	})
}

func FuzzFLAC(f *testing.F) {
	good := testMonoFLAC(f, testTone(440, 8000, 0.05, 0.9), 8000)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:60])
	ramp := make([]int32, 20)
	for i := range ramp {
		ramp[i] = int32(i * 100000)
	}
	f.Add(testFLACBytes(f, [][]int32{ramp, ramp}, 44100, 24))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeFLAC(bytes.NewReader(b)); err == nil {
			checkDecoded(t, a)
		}
	})
}

func TestAudioReadFileErrorOnDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d.wav")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("got error %v, want one naming %s", err, dir)
	}
}

func TestAudioDecoderPanicBecomesError(t *testing.T) {
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

package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
	"github.com/scigolib/hdf5"
)

// This file holds the writing side of the file formats the loaders read:
// SHD's HDF5 layout, FLAC and WAV. The synthetic data sets and the tests
// use it to produce files in the published formats.

// floatToHalf converts f to IEEE 754 binary16 (half precision) bits,
// rounding to nearest with ties to even. Values beyond the largest half
// become infinities; NaNs stay NaNs. It inverts halfToFloat32 on every half
// value.
func floatToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff { // infinity or NaN, keeping NaNs quiet
		if mant == 0 {
			return sign | 0x7c00
		}
		return sign | 0x7e00 | uint16(mant>>13)
	}
	e := exp - 127 + 15 // half exponent
	switch {
	case e >= 0x1f:
		return sign | 0x7c00
	case e >= 1: // normal: round the 23-bit mantissa to 10 bits; a carry
		// moves into the exponent and, from the largest half, to infinity
		h := sign | uint16(e)<<10 | uint16(mant>>13)
		if rem := mant & 0x1fff; rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
			h++
		}
		return h
	case e >= -10: // subnormal half k·2^-24; k = 0x400 is the smallest normal
		m := mant | 0x800000
		shift := uint(14 - e)
		k := m >> shift
		if rem, half := m&(1<<shift-1), uint32(1)<<(shift-1); rem > half || (rem == half && k&1 == 1) {
			k++
		}
		return sign | uint16(k)
	}
	return sign // below half the smallest subnormal: zero
}

// shdHalfTimes encodes spike times in seconds as little-endian float16, the
// element type of spikes/times in the published SHD files.
func shdHalfTimes(times []float32) []byte {
	b := make([]byte, 0, 2*len(times))
	for _, t := range times {
		b = binary.LittleEndian.AppendUint16(b, floatToHalf(t))
	}
	return b
}

// shdUnitBytes encodes channels as little-endian uint16, the element type
// of spikes/units in the published SHD files.
func shdUnitBytes(units []uint16) []byte {
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// hdf5Set is one data set of an HDF5 file to be written.
type hdf5Set struct {
	path  string // absolute, such as "/spikes/times"
	dtype hdf5.Datatype
	dims  []uint64
	data  any
	opts  []hdf5.DatasetOption
}

// writeHDF5 writes a new HDF5 file at path holding the given groups
// (parents first) and data sets, in that order; opts go to
// hdf5.CreateForWrite. On failure it removes the file. A panic in the
// writer is returned as an error.
func writeHDF5(path string, groups []string, sets []hdf5Set, opts ...any) (err error) {
	fw, err := hdf5.CreateForWrite(path, hdf5.CreateTruncate, opts...)
	if err != nil {
		return fmt.Errorf("datasets: %s: %w", path, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("datasets: %s: HDF5 writer failed: %v", path, r)
		}
		if cerr := fw.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("datasets: %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	for _, g := range groups {
		if _, err := fw.CreateGroup(g); err != nil {
			return fmt.Errorf("datasets: %s: group %s: %w", path, g, err)
		}
	}
	for _, s := range sets {
		ds, err := fw.CreateDataset(s.path, s.dtype, s.dims, s.opts...)
		if err == nil {
			err = ds.Write(s.data)
		}
		if err != nil {
			return fmt.Errorf("datasets: %s: data set %s: %w", path, s.path, err)
		}
	}
	return nil
}

// shdContent is what an SHD file holds, already encoded where HDF5 needs
// it: per sample the little-endian bytes of its spike times (float16 or
// float32 seconds) and channels (uint16), the labels, the class names and
// the speaker of every sample, and per speaker the meta information.
type shdContent struct {
	times, units [][]byte
	labels       []uint16
	keys         []string
	speakers     []uint16
	gender       []string
	age          []uint16
	height       []float32 // m
}

// shdGroups are the groups of an SHD file.
var shdGroups = []string{"/spikes", "/extra", "/extra/meta_info"}

// shdLayout returns the data sets of an SHD file holding c, in the layout of
// the published files: spikes/times, spikes/units, labels, extra/keys,
// extra/speaker and extra/meta_info/{gender,age,body_height}.
//
// The HDF5 writer has no variable-length uint16 or float16 types, so the
// channels and times are declared as variable-length uint8 sequences that
// hold their little-endian bytes. The loader cannot tell the difference:
// the HDF5 reader hands out variable-length data as raw bytes whatever the
// declared type, and the loader infers the widths from the byte counts. (A
// reader that honours the declared type, such as h5py, sees the bytes.)
func shdLayout(c shdContent) []hdf5Set {
	vec := func(path string, dtype hdf5.Datatype, n int, data any) hdf5Set {
		return hdf5Set{path: path, dtype: dtype, dims: []uint64{uint64(n)}, data: data}
	}
	return []hdf5Set{
		vec("/"+shdTimes, hdf5.VLenUint8, len(c.times), c.times),
		vec("/"+shdUnits, hdf5.VLenUint8, len(c.units), c.units),
		vec("/"+shdLabels, hdf5.Uint16, len(c.labels), c.labels),
		vec("/"+shdKeys, hdf5.VLenString, len(c.keys), c.keys),
		vec("/extra/speaker", hdf5.Uint16, len(c.speakers), c.speakers),
		vec("/extra/meta_info/gender", hdf5.VLenString, len(c.gender), c.gender),
		vec("/extra/meta_info/age", hdf5.Uint16, len(c.age), c.age),
		vec("/extra/meta_info/body_height", hdf5.Float32, len(c.height), c.height),
	}
}

// seekBuffer is an in-memory io.WriteSeeker for the audio encoders, which
// seek back to patch their headers. Unlike an *os.File it is not closed by
// the FLAC encoder nor synced by the WAV encoder.
type seekBuffer struct {
	b   []byte
	pos int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if end := s.pos + len(p); end > len(s.b) {
		s.b = append(s.b, make([]byte, end-len(s.b))...)
	}
	s.pos += copy(s.b[s.pos:], p)
	return len(p), nil
}

func (s *seekBuffer) Seek(offset int64, whence int) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(s.pos)
	case io.SeekEnd:
		base = int64(len(s.b))
	default:
		return 0, fmt.Errorf("seekBuffer: bad whence %d", whence)
	}
	p := base + offset
	if p < 0 || p > math.MaxInt32 {
		return 0, fmt.Errorf("seekBuffer: seek to %d", p)
	}
	s.pos = int(p)
	return p, nil
}

// flacBlockSize is the largest number of samples per channel of a FLAC
// frame, and flacMinBlock the fewest. The encoder records the shortest
// frame, the last one included, as the minimum block size of the stream
// header, and the decoder rejects a minimum below 16, so the last frame
// must not be shorter either.
const (
	flacBlockSize = 4096
	flacMinBlock  = 16
)

// encodeFLAC encodes per-channel integer samples (one or two channels of
// equal length, at least 16 samples) of the given width as a FLAC stream
// with github.com/mewkiz/flac, in frames of a fixed block size of up to
// 4096 samples, chosen so that the last frame holds at least 16. The stream
// header carries the length and the MD5 signature of the samples. The
// samples are stored verbatim: the encoder's prediction analysis makes
// files of tones in noise only about 40 % smaller at five times the
// encoding time.
func encodeFLAC(chans [][]int32, rate, bits int) (b []byte, err error) {
	defer recoverEncoder("FLAC", &err)
	layout, ok := map[int]frame.Channels{1: frame.ChannelsMono, 2: frame.ChannelsLR}[len(chans)]
	if !ok {
		return nil, fmt.Errorf("datasets: FLAC encoder: want 1 or 2 channels, got %d", len(chans))
	}
	n := len(chans[0])
	for _, c := range chans {
		if len(c) != n {
			return nil, errors.New("datasets: FLAC encoder: channels must be of equal length")
		}
	}
	if n < flacMinBlock {
		return nil, fmt.Errorf("datasets: FLAC encoder: want at least %d samples, got %d", flacMinBlock, n)
	}
	if bits < 4 || bits > 32 || rate < 1 || rate >= 1<<20 {
		return nil, fmt.Errorf("datasets: FLAC encoder: unsupported %d bits at %d Hz", bits, rate)
	}
	out := &seekBuffer{}
	info := &meta.StreamInfo{BlockSizeMin: flacMinBlock, BlockSizeMax: flacBlockSize, SampleRate: uint32(rate), NChannels: uint8(len(chans)), BitsPerSample: uint8(bits)}
	enc, err := flac.NewEncoder(out, info)
	if err != nil {
		return nil, fmt.Errorf("datasets: FLAC encoder: %w", err)
	}
	enc.EnablePredictionAnalysis(false) // on by default
	block := flacBlockSize
	for block > 2*flacMinBlock && n > block && n%block != 0 && n%block < flacMinBlock {
		block--
	}
	for start := 0; start < n; start += block {
		end := min(n, start+block)
		fr := &frame.Frame{Header: frame.Header{HasFixedBlockSize: true, BlockSize: uint16(end - start), SampleRate: uint32(rate), Channels: layout, BitsPerSample: uint8(bits)}}
		for _, c := range chans {
			s := append([]int32(nil), c[start:end]...)
			fr.Subframes = append(fr.Subframes, &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, Samples: s, NSamples: len(s)})
		}
		if err := enc.WriteFrame(fr); err != nil {
			return nil, fmt.Errorf("datasets: FLAC encoder: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("datasets: FLAC encoder: %w", err)
	}
	return out.b, nil
}

// encodeWAV encodes interleaved integer samples as an integer PCM WAV file
// with github.com/go-audio/wav. A non-nil md is written as a LIST chunk
// after the data.
func encodeWAV(pcm []int, rate, bits, channels int, md *wav.Metadata) (b []byte, err error) {
	defer recoverEncoder("WAV", &err)
	if channels < 1 || len(pcm) == 0 || len(pcm)%channels != 0 {
		return nil, fmt.Errorf("datasets: WAV encoder: %d samples do not fill frames of %d channels", len(pcm), channels)
	}
	out := &seekBuffer{}
	enc := wav.NewEncoder(out, rate, bits, channels, wavFormatPCM)
	enc.Metadata = md
	buf := &goaudio.IntBuffer{Data: pcm, Format: &goaudio.Format{NumChannels: channels, SampleRate: rate}, SourceBitDepth: bits}
	if err := enc.Write(buf); err != nil {
		return nil, fmt.Errorf("datasets: WAV encoder: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("datasets: WAV encoder: %w", err)
	}
	return out.b, nil
}

// recoverEncoder turns a panic inside a third-party encoder into an error.
func recoverEncoder(format string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("datasets: %s encoder failed: %v", format, r)
	}
}

// quantizePCM converts samples in [-1, 1) to signed integers of the given
// width, rounding and clipping.
func quantizePCM(x []float64, bits int) []int {
	full := float64(int64(1) << (bits - 1))
	out := make([]int, len(x))
	for i, v := range x {
		out[i] = int(math.Max(-full, math.Min(full-1, math.Round(v*full))))
	}
	return out
}

// monoFLAC encodes a mono signal in [-1, 1) as 16-bit FLAC.
func monoFLAC(x []float64, rate int) ([]byte, error) {
	pcm := quantizePCM(x, 16)
	c := make([]int32, len(pcm))
	for i, v := range pcm {
		c[i] = int32(v)
	}
	return encodeFLAC([][]int32{c}, rate, 16)
}

// monoWAV encodes a mono signal in [-1, 1) as 16-bit WAV.
func monoWAV(x []float64, rate int) ([]byte, error) {
	return encodeWAV(quantizePCM(x, 16), rate, 16, 1, nil)
}

// writeNewFile writes b to path, removing what it wrote if that fails.
func writeNewFile(path string, b []byte) error {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		os.Remove(path)
		return fmt.Errorf("datasets: %w", err)
	}
	return nil
}

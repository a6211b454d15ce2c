package datasets

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/go-audio/wav"
	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
)

// Audio is a mono recording. Samples are normalised to [-1, 1): an integer
// PCM sample s of b bits becomes s/2^(b-1), so that the scale of the
// features does not depend on the bit depth of the file.
type Audio struct {
	Samples    []float64
	SampleRate int // Hz
}

// maxAudioSamples bounds the length of a decoded recording (about 2.3 hours
// at 16 kHz). FLAC can describe long runs of silence in a few bytes, so
// without a bound a small corrupt file could exhaust memory.
const maxAudioSamples = 1 << 27

// audioDecodes counts the files that ReadAudioFile has decoded. Tests use it
// to check that a cached load decodes nothing.
var audioDecodes atomic.Int64

// ReadAudioFile decodes the WAV (.wav) or FLAC (.flac) file at path, chosen
// by its extension regardless of case, and mixes it down to mono. Errors
// name the file.
func ReadAudioFile(path string) (Audio, error) {
	var decode func(io.Reader) (Audio, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wav":
		decode = DecodeWAV
	case ".flac":
		decode = DecodeFLAC
	default:
		return Audio{}, fmt.Errorf("datasets: %s: unsupported audio file extension (want .wav or .flac)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Audio{}, fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	audioDecodes.Add(1)
	a, err := decode(f)
	if err != nil {
		return Audio{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return a, nil
}

// recoverDecoder turns a panic inside a third-party decoder into an error,
// so that a corrupt file fails one load instead of the whole program.
func recoverDecoder(format string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("datasets: %s decoder failed on corrupt input: %v", format, r)
	}
}

// DecodeWAV decodes an uncompressed integer PCM WAV stream (8, 16, 24 or 32
// bits, any number of channels) and mixes it down to mono by averaging the
// channels.
//
// The chunks are located here and the format chunk is parsed by
// github.com/go-audio/wav. The library sees only the format chunk: its
// metadata parsers allocate buffers of whatever size a (possibly corrupt)
// chunk declares. The sample data is converted here as well, because the
// library's PCM readers run past the end of the data chunk into trailing
// metadata chunks and silently accept a truncated data chunk; both would
// feed garbage into the features. Floating-point and compressed WAV files
// are rejected.
func DecodeWAV(r io.Reader) (a Audio, err error) {
	defer recoverDecoder("WAV", &err)
	data, err := io.ReadAll(r)
	if err != nil {
		return Audio{}, fmt.Errorf("datasets: reading WAV: %w", err)
	}
	layout, err := scanRIFF(data)
	if err != nil {
		return Audio{}, err
	}
	dec := wav.NewDecoder(bytes.NewReader(wavHeaderOnly(layout.fmt)))
	dec.ReadInfo()
	if err := dec.Err(); err != nil {
		return Audio{}, fmt.Errorf("datasets: WAV header: %w", err)
	}
	if err := checkWAVFormat(dec, layout.fmt); err != nil {
		return Audio{}, err
	}
	return wavPCM(data[layout.dataOff:layout.dataOff+layout.dataLen], int(dec.NumChans), int(dec.BitDepth), int(dec.SampleRate))
}

// riffLayout locates the chunks of a WAV file that DecodeWAV needs.
type riffLayout struct {
	fmt              []byte // body of the "fmt " chunk
	dataOff, dataLen int    // position and declared size of the "data" chunk
}

// scanRIFF walks the chunk headers of a RIFF/WAVE file up to its data chunk
// and rejects chunks that claim more bytes than the file holds.
func scanRIFF(data []byte) (riffLayout, error) {
	var l riffLayout
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return l, errors.New("datasets: not a RIFF/WAVE file")
	}
	for pos := 12; ; {
		if len(data)-pos < 8 {
			return l, errors.New("datasets: WAV file has no data chunk (truncated?)")
		}
		id := string(data[pos : pos+4])
		size := int64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
		body := int64(pos + 8)
		avail := int64(len(data)) - body
		if id == "data" {
			if l.fmt == nil {
				return l, errors.New("datasets: WAV data chunk precedes its fmt chunk")
			}
			if size > avail {
				return l, fmt.Errorf("datasets: WAV truncated: data chunk declares %d bytes, file holds %d", size, avail)
			}
			l.dataOff, l.dataLen = int(body), int(size)
			return l, nil
		}
		if size > avail {
			return l, fmt.Errorf("datasets: WAV truncated: chunk %q declares %d bytes, file holds %d", id, size, avail)
		}
		if id == "fmt " {
			if size < 16 {
				return l, fmt.Errorf("datasets: WAV fmt chunk of %d bytes is shorter than 16", size)
			}
			l.fmt = data[body : body+size]
		}
		pos = int(body + size + size&1)
	}
}

// wavHeaderOnly returns a RIFF/WAVE file holding only the given fmt chunk
// body, for go-audio/wav to parse.
func wavHeaderOnly(fmtChunk []byte) []byte {
	b := make([]byte, 0, 20+len(fmtChunk)+1)
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(12+len(fmtChunk)))
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(fmtChunk)))
	b = append(b, fmtChunk...)
	if len(fmtChunk)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// WAV format tags of the fmt chunk.
const (
	wavFormatPCM        = 1
	wavFormatExtensible = 0xFFFE
)

// checkWAVFormat accepts integer PCM with 8 to 32 bits per sample, including
// the extensible format with a PCM sub-format.
func checkWAVFormat(dec *wav.Decoder, fmtChunk []byte) error {
	format := dec.WavAudioFormat
	if format == wavFormatExtensible && len(fmtChunk) >= 26 {
		format = binary.LittleEndian.Uint16(fmtChunk[24:26])
	}
	if format != wavFormatPCM {
		return fmt.Errorf("datasets: WAV format tag %#x is not integer PCM", format)
	}
	switch {
	case dec.NumChans < 1:
		return fmt.Errorf("datasets: WAV declares %d channels", dec.NumChans)
	case dec.SampleRate < 1:
		return fmt.Errorf("datasets: WAV declares sample rate %d", dec.SampleRate)
	case dec.BitDepth != 8 && dec.BitDepth != 16 && dec.BitDepth != 24 && dec.BitDepth != 32:
		return fmt.Errorf("datasets: WAV bit depth %d not supported (want 8, 16, 24 or 32)", dec.BitDepth)
	}
	return nil
}

// wavPCM converts little-endian interleaved PCM to normalised mono. 8-bit WAV
// is unsigned with an offset of 128, wider samples are two's complement.
func wavPCM(pcm []byte, channels, bits, rate int) (Audio, error) {
	width := bits / 8
	block := width * channels
	if len(pcm)%block != 0 {
		return Audio{}, fmt.Errorf("datasets: WAV data chunk of %d bytes is not a whole number of %d-byte frames", len(pcm), block)
	}
	n := len(pcm) / block
	if n == 0 {
		return Audio{}, errors.New("datasets: WAV holds no samples")
	}
	if n > maxAudioSamples {
		return Audio{}, fmt.Errorf("datasets: WAV holds %d samples, more than the limit of %d", n, maxAudioSamples)
	}
	scale := 1 / (float64(int64(1)<<(bits-1)) * float64(channels))
	out := make([]float64, n)
	for i := range out {
		var sum int64
		for c := range channels {
			sum += pcmSample(pcm[i*block+c*width:], bits)
		}
		out[i] = float64(sum) * scale
	}
	return Audio{Samples: out, SampleRate: rate}, nil
}

// pcmSample reads one little-endian WAV sample of the given width.
func pcmSample(b []byte, bits int) int64 {
	switch bits {
	case 8:
		return int64(b[0]) - 128
	case 16:
		return int64(int16(binary.LittleEndian.Uint16(b)))
	case 24:
		return int64(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8)
	default:
		return int64(int32(binary.LittleEndian.Uint32(b)))
	}
}

// DecodeFLAC decodes a FLAC stream with github.com/mewkiz/flac and mixes it
// down to mono by averaging the channels (after undoing the stereo
// decorrelation, which the library does).
//
// Frame CRCs are checked by the library; in addition the decoded length is
// compared with the length in the stream header, and the MD5 signature of
// the samples is verified when the header has one (and the depth is at most
// 24 bits, the widest the library hashes), so that truncated and corrupted files fail instead of yielding
// wrong features.
func DecodeFLAC(r io.Reader) (a Audio, err error) {
	defer recoverDecoder("FLAC", &err)
	data, err := io.ReadAll(r)
	if err != nil {
		return Audio{}, fmt.Errorf("datasets: reading FLAC: %w", err)
	}
	stream, err := flac.New(bytes.NewReader(data))
	if err != nil {
		return Audio{}, fmt.Errorf("datasets: FLAC header: %w", err)
	}
	info := stream.Info
	if info.SampleRate == 0 || info.NChannels == 0 {
		return Audio{}, fmt.Errorf("datasets: FLAC header declares sample rate %d and %d channels", info.SampleRate, info.NChannels)
	}
	out, sum, err := flacFrames(stream)
	if err != nil {
		return Audio{}, err
	}
	if err := checkFLACStream(info.NSamples, len(out), info.MD5sum, sum); err != nil {
		return Audio{}, err
	}
	return Audio{Samples: out, SampleRate: int(info.SampleRate)}, nil
}

// flacFrames decodes every frame of stream into normalised mono samples and
// returns them with the MD5 sum of the interleaved integer samples, or a nil
// sum if some frame is wider than the 24 bits the library can hash.
func flacFrames(stream *flac.Stream) ([]float64, []byte, error) {
	// Preallocate for the declared length, but not beyond 256 Ki samples: a
	// corrupt header must not cost a large allocation up front.
	out := make([]float64, 0, min(stream.Info.NSamples, 1<<18))
	sum, hashable := md5.New(), true
	for {
		f, err := stream.ParseNext()
		if err == io.EOF {
			if !hashable {
				return out, nil, nil
			}
			return out, sum.Sum(nil), nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("datasets: FLAC frame after %d samples: %w", len(out), err)
		}
		if out, err = appendFLACFrame(out, f); err != nil {
			return nil, nil, err
		}
		hashable = hashable && f.BitsPerSample <= 24
		if hashable {
			f.Hash(sum)
		}
	}
}

// appendFLACFrame mixes the subframes of f down to mono and appends them.
// Frames that leave their sample size to the stream header are rejected: the
// library decodes subframes without access to that header.
func appendFLACFrame(out []float64, f *frame.Frame) ([]float64, error) {
	bits := int(f.BitsPerSample)
	if len(f.Subframes) == 0 || bits < 1 || bits > 32 {
		return nil, fmt.Errorf("datasets: FLAC frame %d has %d channels of %d bits", f.Num, len(f.Subframes), bits)
	}
	n := len(f.Subframes[0].Samples)
	for _, sf := range f.Subframes {
		if len(sf.Samples) != n {
			return nil, fmt.Errorf("datasets: FLAC frame %d has channels of unequal length", f.Num)
		}
	}
	if len(out)+n > maxAudioSamples {
		return nil, fmt.Errorf("datasets: FLAC stream longer than the limit of %d samples", maxAudioSamples)
	}
	scale := 1 / (float64(int64(1)<<(bits-1)) * float64(len(f.Subframes)))
	for i := range n {
		var s int64
		for _, sf := range f.Subframes {
			s += int64(sf.Samples[i])
		}
		out = append(out, float64(s)*scale)
	}
	return out, nil
}

// checkFLACStream compares the decoded stream with its header: the number of
// samples (when the header states it) and the MD5 signature (when present).
func checkFLACStream(want uint64, got int, wantSum [16]byte, gotSum []byte) error {
	if got == 0 {
		return errors.New("datasets: FLAC holds no samples")
	}
	if want != 0 && uint64(got) != want {
		return fmt.Errorf("datasets: FLAC truncated or corrupt: header declares %d samples, decoded %d", want, got)
	}
	if wantSum != ([16]byte{}) && gotSum != nil && !bytes.Equal(wantSum[:], gotSum) {
		return fmt.Errorf("datasets: FLAC corrupt: MD5 signature of decoded samples does not match header")
	}
	return nil
}

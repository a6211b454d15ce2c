package decode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/go-audio/wav"
)

// WAV decodes an uncompressed integer PCM WAV stream (8, 16, 24 or 32
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
func WAV(r io.Reader) (a Recording, err error) {
	defer recoverDecoder("WAV", &err)
	data, err := io.ReadAll(r)
	if err != nil {
		return Recording{}, fmt.Errorf("audio: reading WAV: %w", err)
	}
	layout, err := scanRIFF(data)
	if err != nil {
		return Recording{}, err
	}
	dec := wav.NewDecoder(bytes.NewReader(wavHeaderOnly(layout.fmt)))
	dec.ReadInfo()
	if err := dec.Err(); err != nil {
		return Recording{}, fmt.Errorf("audio: WAV header: %w", err)
	}
	if err := checkWAVFormat(dec, layout.fmt); err != nil {
		return Recording{}, err
	}
	return wavPCM(data[layout.dataOff:layout.dataOff+layout.dataLen], int(dec.NumChans), int(dec.BitDepth), int(dec.SampleRate))
}

// riffLayout locates the chunks of a WAV file that WAV needs.
type riffLayout struct {
	fmt              []byte // body of the "fmt " chunk
	dataOff, dataLen int    // position and declared size of the "data" chunk
}

// scanRIFF walks the chunk headers of a RIFF/WAVE file up to its data chunk
// and rejects chunks that claim more bytes than the file holds.
func scanRIFF(data []byte) (riffLayout, error) {
	var l riffLayout
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return l, errors.New("audio: not a RIFF/WAVE file")
	}
	for pos := 12; ; {
		if len(data)-pos < 8 {
			return l, errors.New("audio: WAV file has no data chunk (truncated?)")
		}
		id := string(data[pos : pos+4])
		size := int64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
		body := int64(pos + 8)
		avail := int64(len(data)) - body
		if id == "data" {
			if l.fmt == nil {
				return l, errors.New("audio: WAV data chunk precedes its fmt chunk")
			}
			if size > avail {
				return l, fmt.Errorf("audio: WAV truncated: data chunk declares %d bytes, file holds %d", size, avail)
			}
			l.dataOff, l.dataLen = int(body), int(size)
			return l, nil
		}
		if size > avail {
			return l, fmt.Errorf("audio: WAV truncated: chunk %q declares %d bytes, file holds %d", id, size, avail)
		}
		if id == "fmt " {
			if size < 16 {
				return l, fmt.Errorf("audio: WAV fmt chunk of %d bytes is shorter than 16", size)
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
		return fmt.Errorf("audio: WAV format tag %#x is not integer PCM", format)
	}
	switch {
	case dec.NumChans < 1:
		return fmt.Errorf("audio: WAV declares %d channels", dec.NumChans)
	case dec.SampleRate < 1:
		return fmt.Errorf("audio: WAV declares sample rate %d", dec.SampleRate)
	case dec.BitDepth != 8 && dec.BitDepth != 16 && dec.BitDepth != 24 && dec.BitDepth != 32:
		return fmt.Errorf("audio: WAV bit depth %d not supported (want 8, 16, 24 or 32)", dec.BitDepth)
	}
	return nil
}

// wavPCM converts little-endian interleaved PCM to normalised mono. 8-bit WAV
// is unsigned with an offset of 128, wider samples are two's complement.
func wavPCM(pcm []byte, channels, bits, rate int) (Recording, error) {
	width := bits / 8
	block := width * channels
	if len(pcm)%block != 0 {
		return Recording{}, fmt.Errorf("audio: WAV data chunk of %d bytes is not a whole number of %d-byte frames", len(pcm), block)
	}
	n := len(pcm) / block
	if n == 0 {
		return Recording{}, errors.New("audio: WAV holds no samples")
	}
	if n > maxSamples {
		return Recording{}, fmt.Errorf("audio: WAV holds %d samples, more than the limit of %d", n, maxSamples)
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
	return Recording{Samples: out, SampleRate: rate}, nil
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

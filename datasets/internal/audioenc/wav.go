package audioenc

import (
	"fmt"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// wavPCM is the format tag of integer PCM in the fmt chunk.
const wavPCM = 1

// WAV encodes interleaved integer samples as an integer PCM WAV file
// with github.com/go-audio/wav. A non-nil md is written as a LIST chunk
// after the data.
func WAV(pcm []int, rate, bits, channels int, md *wav.Metadata) (b []byte, err error) {
	defer recoverEncoder("WAV", &err)
	if channels < 1 || len(pcm) == 0 || len(pcm)%channels != 0 {
		return nil, fmt.Errorf("audioenc: WAV encoder: %d samples do not fill frames of %d channels", len(pcm), channels)
	}
	out := &seekBuffer{}
	enc := wav.NewEncoder(out, rate, bits, channels, wavPCM)
	enc.Metadata = md
	buf := &goaudio.IntBuffer{Data: pcm, Format: &goaudio.Format{NumChannels: channels, SampleRate: rate}, SourceBitDepth: bits}
	if err := enc.Write(buf); err != nil {
		return nil, fmt.Errorf("audioenc: WAV encoder: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("audioenc: WAV encoder: %w", err)
	}
	return out.b, nil
}

// MonoWAV encodes a mono signal in [-1, 1) as 16-bit WAV.
func MonoWAV(x []float64, rate int) ([]byte, error) {
	return WAV(Quantize(x, 16), rate, 16, 1, nil)
}

package audioenc

import (
	"errors"
	"fmt"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// flacBlockSize is the largest number of samples per channel of a FLAC
// frame, and flacMinBlock the fewest. The encoder records the shortest
// frame, the last one included, as the minimum block size of the stream
// header, and the decoder rejects a minimum below 16, so the last frame
// must not be shorter either.
const (
	flacBlockSize = 4096
	flacMinBlock  = 16
)

// FLAC encodes per-channel integer samples (one or two channels of
// equal length, at least 16 samples) of the given width as a FLAC stream
// with github.com/mewkiz/flac, in frames of a fixed block size of up to
// 4096 samples, chosen so that the last frame holds at least 16. The stream
// header carries the length and the MD5 signature of the samples. The
// samples are stored verbatim: the encoder's prediction analysis makes
// files of tones in noise only about 40 % smaller at five times the
// encoding time.
func FLAC(chans [][]int32, rate, bits int) (b []byte, err error) {
	defer recoverEncoder("FLAC", &err)
	layout, ok := map[int]frame.Channels{1: frame.ChannelsMono, 2: frame.ChannelsLR}[len(chans)]
	if !ok {
		return nil, fmt.Errorf("audioenc: FLAC encoder: want 1 or 2 channels, got %d", len(chans))
	}
	n := len(chans[0])
	for _, c := range chans {
		if len(c) != n {
			return nil, errors.New("audioenc: FLAC encoder: channels must be of equal length")
		}
	}
	if n < flacMinBlock {
		return nil, fmt.Errorf("audioenc: FLAC encoder: want at least %d samples, got %d", flacMinBlock, n)
	}
	if bits < 4 || bits > 32 || rate < 1 || rate >= 1<<20 {
		return nil, fmt.Errorf("audioenc: FLAC encoder: unsupported %d bits at %d Hz", bits, rate)
	}
	out := &seekBuffer{}
	info := &meta.StreamInfo{BlockSizeMin: flacMinBlock, BlockSizeMax: flacBlockSize, SampleRate: uint32(rate), NChannels: uint8(len(chans)), BitsPerSample: uint8(bits)}
	enc, err := flac.NewEncoder(out, info)
	if err != nil {
		return nil, fmt.Errorf("audioenc: FLAC encoder: %w", err)
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
			return nil, fmt.Errorf("audioenc: FLAC encoder: %w", err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("audioenc: FLAC encoder: %w", err)
	}
	return out.b, nil
}

// MonoFLAC encodes a mono signal in [-1, 1) as 16-bit FLAC.
func MonoFLAC(x []float64, rate int) ([]byte, error) {
	pcm := Quantize(x, 16)
	c := make([]int32, len(pcm))
	for i, v := range pcm {
		c[i] = int32(v)
	}
	return FLAC([][]int32{c}, rate, 16)
}

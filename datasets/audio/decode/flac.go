package decode

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
)

// FLAC decodes a FLAC stream with github.com/mewkiz/flac and mixes it
// down to mono by averaging the channels (after undoing the stereo
// decorrelation, which the library does).
//
// Frame CRCs are checked by the library; in addition the decoded length is
// compared with the length in the stream header, and the MD5 signature of
// the samples is verified when the header has one (and the depth is at most
// 24 bits, the widest the library hashes), so that truncated and corrupted files fail instead of yielding
// wrong features.
func FLAC(r io.Reader) (a Recording, err error) {
	defer recoverDecoder("FLAC", &err)
	data, err := io.ReadAll(r)
	if err != nil {
		return Recording{}, fmt.Errorf("audio: reading FLAC: %w", err)
	}
	stream, err := flac.New(bytes.NewReader(data))
	if err != nil {
		return Recording{}, fmt.Errorf("audio: FLAC header: %w", err)
	}
	info := stream.Info
	if info.SampleRate == 0 || info.NChannels == 0 {
		return Recording{}, fmt.Errorf("audio: FLAC header declares sample rate %d and %d channels", info.SampleRate, info.NChannels)
	}
	out, sum, err := flacFrames(stream)
	if err != nil {
		return Recording{}, err
	}
	if err := checkFLACStream(info.NSamples, len(out), info.MD5sum, sum); err != nil {
		return Recording{}, err
	}
	return Recording{Samples: out, SampleRate: int(info.SampleRate)}, nil
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
			return nil, nil, fmt.Errorf("audio: FLAC frame after %d samples: %w", len(out), err)
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
		return nil, fmt.Errorf("audio: FLAC frame %d has %d channels of %d bits", f.Num, len(f.Subframes), bits)
	}
	n := len(f.Subframes[0].Samples)
	for _, sf := range f.Subframes {
		if len(sf.Samples) != n {
			return nil, fmt.Errorf("audio: FLAC frame %d has channels of unequal length", f.Num)
		}
	}
	if len(out)+n > maxSamples {
		return nil, fmt.Errorf("audio: FLAC stream longer than the limit of %d samples", maxSamples)
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
		return errors.New("audio: FLAC holds no samples")
	}
	if want != 0 && uint64(got) != want {
		return fmt.Errorf("audio: FLAC truncated or corrupt: header declares %d samples, decoded %d", want, got)
	}
	if wantSum != ([16]byte{}) && gotSum != nil && !bytes.Equal(wantSum[:], gotSum) {
		return fmt.Errorf("audio: FLAC corrupt: MD5 signature of decoded samples does not match header")
	}
	return nil
}

package audioenc

import (
	"fmt"
	"io"
	"math"
)

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

// recoverEncoder turns a panic inside a third-party encoder into an error.
func recoverEncoder(format string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("audioenc: %s encoder failed: %v", format, r)
	}
}

// Quantize converts samples in [-1, 1) to signed integers of the given
// width, rounding and clipping.
func Quantize(x []float64, bits int) []int {
	full := float64(int64(1) << (bits - 1))
	out := make([]int, len(x))
	for i, v := range x {
		out[i] = int(math.Max(-full, math.Min(full-1, math.Round(v*full))))
	}
	return out
}

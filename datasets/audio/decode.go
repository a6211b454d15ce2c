package audio

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Recording is decoded mono audio. Samples are normalised to [-1, 1): an integer
// PCM sample s of b bits becomes s/2^(b-1), so that the scale of the
// features does not depend on the bit depth of the file.
type Recording struct {
	Samples    []float64
	SampleRate int // Hz
}

// maxSamples bounds the length of a decoded recording (about 2.3 hours
// at 16 kHz). FLAC can describe long runs of silence in a few bytes, so
// without a bound a small corrupt file could exhaust memory.
const maxSamples = 1 << 27

// decodes counts the files that ReadFile has decoded. Tests use it
// to check that a cached load decodes nothing.
var decodes atomic.Int64

// ReadFile decodes the WAV (.wav) or FLAC (.flac) file at path, chosen
// by its extension regardless of case, and mixes it down to mono. Errors
// name the file.
func ReadFile(path string) (Recording, error) {
	a, err := readRecording(path)
	if err != nil {
		return Recording{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return a, nil
}

// readRecording is ReadFile with errors that leave naming the file to the
// caller.
func readRecording(path string) (Recording, error) {
	var decode func(io.Reader) (Recording, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wav":
		decode = DecodeWAV
	case ".flac":
		decode = DecodeFLAC
	default:
		return Recording{}, fmt.Errorf("audio: unsupported audio file extension %q (want .wav or .flac)", filepath.Ext(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return Recording{}, fmt.Errorf("audio: %w", err)
	}
	defer f.Close()
	decodes.Add(1)
	return decode(f)
}

// recoverDecoder turns a panic inside a third-party decoder into an error,
// so that a corrupt file fails one load instead of the whole program.
func recoverDecoder(format string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("audio: %s decoder failed on corrupt input: %v", format, r)
	}
}

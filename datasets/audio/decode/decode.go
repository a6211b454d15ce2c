package decode

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/readlimit"
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

// FileError is the error of File: what went wrong with the file at Path.
// Callers that name the file their own way, such as a data set's loader
// naming it relative to the data folder, report Err alone.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%v (file %s)", e.Err, e.Path) }

func (e *FileError) Unwrap() error { return e.Err }

// File decodes the WAV (.wav) or FLAC (.flac) file at path, chosen by its
// extension regardless of case, and mixes it down to mono. Its errors are
// *FileError.
func File(path string) (Recording, error) {
	a, err := file(path)
	if err != nil {
		return Recording{}, &FileError{Path: path, Err: err}
	}
	return a, nil
}

func file(path string) (Recording, error) {
	var decode func(io.Reader) (Recording, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wav":
		decode = WAV
	case ".flac":
		decode = FLAC
	default:
		return Recording{}, fmt.Errorf("audio: unsupported audio file extension %q (want .wav or .flac)", filepath.Ext(path))
	}
	f, err := readlimit.Open(path) // a named pipe would block the open
	if err != nil {
		var pe *fs.PathError
		var nr *readlimit.NotRegularError
		switch { // FileError names the file
		case errors.As(err, &pe):
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		case errors.As(err, &nr):
			err = fmt.Errorf("%s, not a regular file", nr.Kind)
		}
		return Recording{}, fmt.Errorf("audio: %w", err)
	}
	defer f.Close()
	return decode(f)
}

// recoverDecoder turns a panic inside a third-party decoder into an error,
// so that a corrupt file fails one load instead of the whole program.
func recoverDecoder(format string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("audio: %s decoder failed on corrupt input: %v", format, r)
	}
}

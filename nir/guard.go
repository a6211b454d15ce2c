package nir

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/internal/hdf5guard"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// Limits on what Read accepts. The HDF5 reader trusts the sizes in a file
// and allocates what they say, so every size is checked against these and
// against the file's length before the reader sees it.
const (
	maxFileSize = 1 << 30 // bytes
	maxBytes    = 1 << 30 // bytes of all data sets together, decompressed
	maxNodes    = 4096    // nodes in a graph, subgraphs included
	maxEdges    = 1 << 16
	maxDepth    = 4   // nesting of subgraphs
	maxName     = 256 // bytes of a node, parameter or metadata name
	maxString   = 1 << 20
	// maxInflate bounds how many bytes a stored byte can decompress to
	// (DEFLATE's limit is 1032).
	maxInflate = 1100
)

// info is what Dataset.Info reveals of a data set: the datatype class
// ("float", "integer", "string", or "class_9" for variable-length data),
// the element size and the dimensions (none for a scalar).
type info struct {
	class  string
	size   uint64
	dims   []uint64
	chunky bool // chunked, so possibly compressed
}

var infoRE = regexp.MustCompile(`^Dataset: (\w+) \(size=(\d+) bytes\), (scalar|null|1D array \[(\d+)\]|2D array \[(\d+) x (\d+)\]|\d+D array \[([\d ]+)\]),\s*(\w+)`)

// datasetInfo returns the description of d and checks that its elements
// fit into the limits: the whole data set, decompressed, into maxBytes, and
// into what the file's fileSize bytes can hold.
func datasetInfo(d *hdf5.Dataset, fileSize int64) (info, error) {
	var desc string
	if err := hdf5guard.Call(func() (err error) { desc, err = d.Info(); return err }); err != nil {
		return info{}, err
	}
	m := infoRE.FindStringSubmatch(desc)
	if m == nil {
		return info{}, fmt.Errorf("unsupported data set: %s", strings.TrimPrefix(desc, "Dataset: "))
	}
	in := info{class: m[1], chunky: m[8] == "chunked"}
	var err error
	if in.size, err = strconv.ParseUint(m[2], 10, 64); err != nil || in.size == 0 || in.size > maxString {
		return info{}, fmt.Errorf("element size %s bytes", m[2])
	}
	var dims []string
	switch {
	case m[3] == "scalar":
	case m[3] == "null":
		dims = []string{"0"}
	case m[4] != "":
		dims = []string{m[4]}
	case m[5] != "":
		dims = []string{m[5], m[6]}
	default:
		dims = strings.Fields(m[7])
	}
	if len(dims) > 8 {
		return info{}, fmt.Errorf("%d dimensions", len(dims))
	}
	elems := uint64(1)
	for _, s := range dims {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || n > maxBytes || elems*n > maxBytes {
			return info{}, fmt.Errorf("dimensions %v too large", dims)
		}
		elems *= n
		in.dims = append(in.dims, n)
	}
	limit := uint64(fileSize)
	if in.chunky {
		limit *= maxInflate
	}
	if elems*in.size > maxBytes || elems*in.size > limit+64 {
		return info{}, fmt.Errorf("%d elements of %d bytes do not fit into the file's %d bytes", elems, in.size, fileSize)
	}
	return in, nil
}

// openChecked stats, scans and opens the HDF5 file at path.
func openChecked(path string) (*hdf5.File, int64, error) {
	raw, err := readlimit.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := raw.Stat()
	if err == nil && st.Size() > maxFileSize {
		err = fmt.Errorf("%d bytes, more than the %d a NIR file of spikegrad's networks needs", st.Size(), maxFileSize)
	}
	if err != nil {
		raw.Close()
		return nil, 0, err
	}
	err = hdf5guard.CheckHeaps(raw, st.Size())
	raw.Close()
	if err != nil {
		return nil, 0, err
	}
	var f *hdf5.File
	if err := hdf5guard.Call(func() (err error) { f, err = hdf5.Open(path); return err }); err != nil {
		return nil, 0, fmt.Errorf("not a readable HDF5 file: %w", err)
	}
	return f, st.Size(), nil
}

// maxEcho is the longest run of non-space bytes an error message repeats
// from a file: a name or string of a hostile file can be a mebibyte.
const maxEcho = 96

// shortErr is an error whose message cuts every run of non-space bytes
// longer than maxEcho (node names, paths, strings from the file).
type shortErr struct{ err error }

// short wraps err so that its message echoes no long name; nil stays nil.
func short(err error) error {
	if err == nil {
		return nil
	}
	return &shortErr{err}
}

func (e *shortErr) Unwrap() error { return e.err }

func (e *shortErr) Error() string {
	msg := e.err.Error()
	var b strings.Builder
	run, cut := 0, false
	for i, r := range msg {
		n := utf8.RuneLen(r)
		if n < 0 {
			n = 1
		}
		switch {
		case unicode.IsSpace(r):
			run, cut = 0, false
		case run+n > maxEcho:
			if !cut {
				b.WriteString("…")
				cut = true
			}
			continue
		default:
			run += n
		}
		b.WriteString(msg[i : i+n])
	}
	return b.String()
}

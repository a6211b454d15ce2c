package nir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scigolib/hdf5"
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

// call runs a call into the HDF5 reader and turns a panic into an error:
// the reader is a young pure-Go implementation that a damaged file can
// crash.
func call(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("HDF5 reader failed on corrupt input: %v", r)
		}
	}()
	return fn()
}

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
	if err := call(func() (err error) { desc, err = d.Info(); return err }); err != nil {
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

// checkHeaps rejects a file in which a local heap ("HEAP") or a global heap
// collection ("GCOL") declares more bytes than the file holds, or a global
// heap holds an object larger than the heap. The HDF5 reader allocates a
// heap in full before reading it, and an object size near 2^64 makes its
// walk over a global heap (variable-length strings are stored there) loop
// forever. The same check guards the SHD loader (datasets/shd.go).
func checkHeaps(f io.ReaderAt, fileSize int64) error {
	offsetSize, lengthSize, ok := sizes(f)
	if !ok {
		return nil // not HDF5 or an unknown superblock: left to the reader
	}
	const chunk, overlap = 1 << 20, 32
	buf := make([]byte, chunk+overlap)
	var heap []byte
	for off := int64(0); off < fileSize; off += chunk {
		n, err := f.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		for _, h := range []struct {
			sig       string
			sizeBytes int
			global    bool
		}{{"HEAP", lengthSize, false}, {"GCOL\x01", offsetSize, true}} {
			for i := 0; ; i++ {
				j := bytes.Index(buf[i:n], []byte(h.sig))
				if j < 0 || i+j >= chunk {
					break
				}
				i += j
				end := i + 8 + h.sizeBytes
				if end > n {
					break // the file ends inside the header: the reader fails
				}
				size := leUint(buf[i+8 : end])
				at := off + int64(i)
				if size > uint64(fileSize) {
					return fmt.Errorf("corrupt: heap at byte %d declares %d bytes, more than the file's %d", at, size, fileSize)
				}
				if !h.global {
					continue
				}
				heap = slices.Grow(heap[:0], int(size))[:size]
				if k, _ := f.ReadAt(heap, at); k < int(size) {
					continue // the heap runs past the end of the file: the reader fails
				}
				hdr := 8 + offsetSize
				for pos := (8 + offsetSize + 7) &^ 7; pos+hdr <= int(size); {
					obj := leUint(heap[pos+8 : pos+hdr])
					if obj > size {
						return fmt.Errorf("corrupt: object at byte %d of the heap at byte %d declares %d bytes, more than the heap's %d",
							pos, at, obj, size)
					}
					pos += hdr + (int(obj)+7)&^7
				}
			}
		}
	}
	return nil
}

// sizes reads the sizes of offsets and lengths from the superblock.
func sizes(f io.ReaderAt) (offsetSize, lengthSize int, ok bool) {
	var sb [16]byte
	if _, err := f.ReadAt(sb[:], 0); err != nil || string(sb[:8]) != "\x89HDF\r\n\x1a\n" {
		return 0, 0, false
	}
	var o, l byte
	switch sb[8] {
	case 0, 1:
		o, l = sb[13], sb[14]
	case 2, 3:
		o, l = sb[9], sb[10]
	default:
		return 0, 0, false
	}
	valid := func(b byte) bool { return b == 2 || b == 4 || b == 8 }
	if !valid(o) || !valid(l) {
		return 0, 0, false
	}
	return int(o), int(l), true
}

func leUint(b []byte) uint64 {
	var v uint64
	for k := len(b) - 1; k >= 0; k-- {
		v = v<<8 | uint64(b[k])
	}
	return v
}

// openChecked stats, scans and opens the HDF5 file at path.
func openChecked(path string) (*hdf5.File, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, errors.New("not a regular file")
	}
	if st.Size() > maxFileSize {
		return nil, 0, fmt.Errorf("%d bytes, more than the %d a NIR file of spikegrad's networks needs", st.Size(), maxFileSize)
	}
	raw, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	err = checkHeaps(raw, st.Size())
	raw.Close()
	if err != nil {
		return nil, 0, err
	}
	var f *hdf5.File
	if err := call(func() (err error) { f, err = hdf5.Open(path); return err }); err != nil {
		return nil, 0, fmt.Errorf("not a readable HDF5 file: %w", err)
	}
	return f, st.Size(), nil
}

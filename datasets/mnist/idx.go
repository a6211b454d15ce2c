package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
)

// idx magic numbers: two zero bytes, the element type (0x08 = unsigned
// byte) and the number of dimensions.
const (
	idxImagesMagic = 0x00000803
	idxLabelsMagic = 0x00000801
)

// maxIDXBytes bounds the payload an idx header may declare. The header is
// trusted only this far, so that a corrupt file cannot make the reader
// reserve gigabytes before it finds out the data is not there.
const maxIDXBytes = 1 << 30

// idxFile is the content of an idx file of unsigned bytes, the format of the
// MNIST distribution: a big-endian magic number 0x000008NN with NN the
// number of dimensions, NN big-endian uint32 dimensions and the row-major
// payload.
type idxFile struct {
	Magic uint32
	Dims  []int
	Data  []byte
}

// readIDX parses an idx file of unsigned bytes from r, gunzipping it first if
// it starts with the gzip magic number. It checks that the payload is
// exactly as long as the dimensions declare: a truncated file and trailing
// bytes are both errors, since either means the file is not what its header
// says.
func readIDX(r io.Reader) (*idxFile, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		return readIDXPlain(bufio.NewReader(zr))
	}
	return readIDXPlain(br)
}

// readIDXPlain parses an uncompressed idx stream.
func readIDXPlain(r *bufio.Reader) (*idxFile, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("truncated idx header: %w", noEOF(err))
	}
	magic := binary.BigEndian.Uint32(hdr[:])
	if hdr[0] != 0 || hdr[1] != 0 || hdr[2] != 0x08 || hdr[3] == 0 {
		return nil, fmt.Errorf("magic number 0x%08x is not an idx file of unsigned bytes (want 0x000008NN)", magic)
	}
	idx := &idxFile{Magic: magic, Dims: make([]int, hdr[3])}
	size := 1
	for i := range idx.Dims {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, fmt.Errorf("truncated idx header: dimension %d of %d: %w", i+1, len(idx.Dims), noEOF(err))
		}
		idx.Dims[i] = int(binary.BigEndian.Uint32(hdr[:]))
		if idx.Dims[i] != 0 && size > maxIDXBytes/idx.Dims[i] {
			return nil, fmt.Errorf("dimensions %v declare more than %d bytes", idx.Dims[:i+1], maxIDXBytes)
		}
		size *= idx.Dims[i]
	}
	data, err := readExactly(r, size)
	if err != nil {
		return nil, fmt.Errorf("dimensions %v: %w", idx.Dims, err)
	}
	idx.Data = data
	return idx, nil
}

// readExactly reads n bytes and checks that r ends there. The buffer grows
// with the data actually read, so that a header declaring a large payload
// costs memory only if the payload is really there.
func readExactly(r io.Reader, n int) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(n, 1<<20)))
	got, err := buf.ReadFrom(io.LimitReader(r, int64(n)))
	if err != nil {
		return nil, err
	}
	if int(got) < n {
		return nil, fmt.Errorf("truncated: %d of %d data bytes present", got, n)
	}
	var extra [1]byte
	switch _, err := io.ReadFull(r, extra[:]); err {
	case nil:
		return nil, fmt.Errorf("unexpected data after the %d declared bytes", n)
	case io.EOF:
	default:
		return nil, err
	}
	return buf.Bytes(), nil
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: running out of input inside
// a header is always unexpected.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// check reports whether idx has the given magic number and dimensions.
func (idx *idxFile) check(magic uint32, dims []int) error {
	if idx.Magic != magic {
		return fmt.Errorf("magic number 0x%08x, want 0x%08x", idx.Magic, magic)
	}
	if !slices.Equal(idx.Dims, dims) {
		return fmt.Errorf("dimensions %v, want %v", idx.Dims, dims)
	}
	return nil
}

package runner

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// This file reads the .npy entries of a checkpoint. It is written for
// files from anywhere: every header is parsed by a strict parser, every
// size is checked against the zip entry and the caller's expectation before
// anything is allocated, and a malformed file is an error naming the entry
// and what is wrong, never a panic. (The npyio reader used before panics on
// a header without its newline, or one that declares more bytes than the
// file holds, and allocates whatever a header declares.)

// maxHeader is the largest .npy header read; NumPy itself refuses headers
// over 10000 bytes unless told otherwise.
const maxHeader = 64 << 10

// npyHeader is the parsed header of a .npy entry.
type npyHeader struct {
	descr   string
	fortran bool
	shape   []int
	size    int64 // bytes of the header, from the magic string to the data
}

// elements returns the number of elements the shape declares, or -1 if it
// overflows.
func (h npyHeader) elements() int64 {
	n := int64(1)
	for _, d := range h.shape {
		if d < 0 || (d > 0 && n > math.MaxInt64/int64(d)) {
			return -1
		}
		n *= int64(d)
	}
	return n
}

var npyMagic = []byte("\x93NUMPY")

// readNPYHeader reads and parses the header at the start of r.
func readNPYHeader(r io.Reader) (npyHeader, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return npyHeader{}, fmt.Errorf("not a .npy array: %w", shortRead(err))
	}
	if string(pre[:6]) != string(npyMagic) {
		return npyHeader{}, errors.New("not a .npy array: no \\x93NUMPY magic string")
	}
	var n, size int64
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return npyHeader{}, fmt.Errorf(".npy header: %w", shortRead(err))
		}
		n, size = int64(binary.LittleEndian.Uint16(b[:])), 10
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return npyHeader{}, fmt.Errorf(".npy header: %w", shortRead(err))
		}
		n, size = int64(binary.LittleEndian.Uint32(b[:])), 12
	default:
		return npyHeader{}, fmt.Errorf(".npy format version %d.%d is not one of 1.0, 2.0, 3.0", pre[6], pre[7])
	}
	if n > maxHeader {
		return npyHeader{}, fmt.Errorf(".npy header declares %d bytes, more than the %d a header may have", n, maxHeader)
	}
	text := make([]byte, n)
	if _, err := io.ReadFull(r, text); err != nil {
		return npyHeader{}, fmt.Errorf(".npy header declares %d bytes: %w", n, shortRead(err))
	}
	h, err := parseNPYDict(string(text))
	if err != nil {
		return npyHeader{}, fmt.Errorf(".npy header %q: %w", clip(string(text)), err)
	}
	h.size = size + n
	return h, nil
}

func shortRead(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the entry ends early")
	}
	return err
}

func clip(s string) string {
	s = strings.TrimRight(s, " \n\x00")
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// parseNPYDict parses the Python dictionary literal of a .npy header:
// {'descr': '<f4', 'fortran_order': False, 'shape': (20, 100), }, padded
// with spaces and ended by a newline (accepted without it).
func parseNPYDict(s string) (npyHeader, error) {
	p := &dictParser{s: strings.TrimRight(s, " \n\x00")}
	var h npyHeader
	seen := map[string]bool{}
	if !p.eat('{') {
		return h, errors.New("want a dictionary {…}")
	}
	for {
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, fmt.Errorf("key: %w", err)
		}
		if seen[key] {
			return h, fmt.Errorf("key %q given twice", key)
		}
		seen[key] = true
		if !p.eat(':') {
			return h, fmt.Errorf("want ':' after key %q", key)
		}
		switch key {
		case "descr":
			if h.descr, err = p.str(); err != nil {
				return h, fmt.Errorf("descr: %w (structured dtypes are not weights)", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.fortran = true
			case p.word("False"):
			default:
				return h, errors.New("fortran_order: want True or False")
			}
		case "shape":
			if h.shape, err = p.tuple(); err != nil {
				return h, fmt.Errorf("shape: %w", err)
			}
		default:
			return h, fmt.Errorf("unknown key %q", key)
		}
		if p.eat('}') {
			break
		}
		if !p.eat(',') {
			return h, errors.New("want ',' or '}' between entries")
		}
	}
	if p.skip(); p.i != len(p.s) {
		return h, fmt.Errorf("text after the dictionary: %q", clip(p.s[p.i:]))
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return h, fmt.Errorf("no %q key", k)
		}
	}
	return h, nil
}

type dictParser struct {
	s string
	i int
}

func (p *dictParser) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *dictParser) eat(c byte) bool {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *dictParser) word(w string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a quoted string without escapes.
func (p *dictParser) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", errors.New("want a quoted string")
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.ContainsRune(v, '\\') || len(v) > 64 {
		return "", fmt.Errorf("unexpected string %q", clip(v))
	}
	p.i += end + 2
	return v, nil
}

// tuple reads a tuple of up to 8 non-negative integers.
func (p *dictParser) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, errors.New("want a tuple (…)")
	}
	var out []int
	for {
		if p.eat(')') {
			return out, nil
		}
		p.skip()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return nil, errors.New("want non-negative integers")
		}
		d, err := strconv.Atoi(p.s[p.i:j])
		if err != nil || d > math.MaxInt32 {
			return nil, fmt.Errorf("dimension %s is too large", p.s[p.i:j])
		}
		if len(out) == 8 {
			return nil, errors.New("more than 8 dimensions")
		}
		out = append(out, d)
		p.i = j
		if p.eat(')') {
			return out, nil
		}
		if !p.eat(',') {
			return nil, errors.New("want ',' or ')' in the tuple")
		}
	}
}

// floatType returns the element size and byte order of a float descr.
func floatType(descr string) (size int, order binary.ByteOrder, err error) {
	if len(descr) == 3 && descr[1] == 'f' && (descr[2] == '4' || descr[2] == '8') {
		switch descr[0] {
		case '<', '|', '=':
			return int(descr[2] - '0'), binary.LittleEndian, nil
		case '>':
			return int(descr[2] - '0'), binary.BigEndian, nil
		}
	}
	return 0, nil, fmt.Errorf("dtype %q is not float32 or float64", descr)
}

// npyEntry is one array of an .npz file.
type npyEntry struct {
	name string // without .npy
	f    *zip.File
}

// open opens the entry, with its header read and checked: the data that
// follows must be exactly as long as the header declares.
func (e npyEntry) open() (npyHeader, io.ReadCloser, error) {
	rc, err := e.f.Open()
	if err != nil {
		return npyHeader{}, nil, err
	}
	h, err := readNPYHeader(rc)
	if err != nil {
		rc.Close()
		return h, nil, err
	}
	return h, rc, nil
}

// header returns the entry's header.
func (e npyEntry) header() (npyHeader, error) {
	h, rc, err := e.open()
	if err == nil {
		rc.Close()
	}
	return h, err
}

// checkLength checks that the entry holds h's data bytes exactly.
func (e npyEntry) checkLength(h npyHeader, data int64) error {
	if got := int64(e.f.UncompressedSize64) - h.size; got != data {
		return fmt.Errorf("its header declares %d bytes of data (shape %v, dtype %s), the entry holds %d", data, h.shape, h.descr, got)
	}
	return nil
}

// readMatrix reads a 2-D float array of shape [rows, cols] into dst
// (row-major, len rows·cols), converting C or Fortran order, and fails on
// the first non-finite value, naming its place.
func readMatrix[T float32 | float64](e npyEntry, rows, cols int, dst []T) error {
	h, rc, err := e.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	esize, order, err := floatType(h.descr)
	if err != nil {
		return err
	}
	if len(h.shape) != 2 || h.shape[0] != rows || h.shape[1] != cols {
		return fmt.Errorf("shape %v; the checkpoint's settings imply [%d %d]", h.shape, rows, cols)
	}
	var zero T
	if want := int(sizeofT(zero)); esize != want {
		return fmt.Errorf("dtype %s, but the checkpoint's other weights are float%d", h.descr, 8*want)
	}
	n := int64(rows) * int64(cols)
	if err := e.checkLength(h, n*int64(esize)); err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	r := io.LimitReader(rc, n*int64(esize))
	for i := int64(0); i < n; {
		k := min(int64(len(buf)/esize), n-i)
		if _, err := io.ReadFull(r, buf[:k*int64(esize)]); err != nil {
			return fmt.Errorf("data: %w", shortRead(err))
		}
		for j := int64(0); j < k; j++ {
			var v float64
			if esize == 4 {
				v = float64(math.Float32frombits(order.Uint32(buf[j*4:])))
			} else {
				v = math.Float64frombits(order.Uint64(buf[j*8:]))
			}
			idx := i + j
			row, col := idx/int64(cols), idx%int64(cols)
			if h.fortran {
				row, col = idx%int64(rows), idx/int64(rows)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("holds %v at row %d, column %d: the weights are not finite numbers (a run that diverged?)", v, row, col)
			}
			dst[row*int64(cols)+col] = T(v)
		}
		i += k
	}
	return nil
}

func sizeofT[T float32 | float64](T) uintptr {
	var z T
	switch any(z).(type) {
	case float32:
		return 4
	}
	return 8
}

// readString reads a string array (NumPy's str, dtype <Un, or bytes, Sn)
// of shape () or (1,), of at most limit characters.
func readString(e npyEntry, limit int) (string, error) {
	h, rc, err := e.open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	if n := h.elements(); n != 1 {
		return "", fmt.Errorf("shape %v, want one string", h.shape)
	}
	d := h.descr
	if d == "" {
		return "", errors.New("no dtype")
	}
	kind, order := d, binary.ByteOrder(binary.LittleEndian)
	switch d[0] {
	case '<', '|', '=':
		kind = d[1:]
	case '>':
		kind, order = d[1:], binary.BigEndian
	}
	if len(kind) < 2 || (kind[0] != 'U' && kind[0] != 'S') {
		return "", fmt.Errorf("dtype %q is not a string", d)
	}
	chars, err := strconv.Atoi(kind[1:])
	if err != nil || chars < 0 {
		return "", fmt.Errorf("dtype %q is not a string", d)
	}
	if chars > limit {
		return "", fmt.Errorf("a string of %d characters, more than the %d allowed here", chars, limit)
	}
	width := 1
	if kind[0] == 'U' {
		width = 4
	}
	if err := e.checkLength(h, int64(chars*width)); err != nil {
		return "", err
	}
	b, err := readlimit.ReadAll(io.LimitReader(rc, int64(chars*width)), "data", int64(chars*width))
	if err != nil {
		return "", err
	}
	if len(b) != chars*width {
		return "", errors.New("data: the entry ends early")
	}
	if width == 1 {
		s := strings.TrimRight(string(b), "\x00")
		if !utf8.ValidString(s) {
			return "", errors.New("bytes that are not UTF-8")
		}
		return s, nil
	}
	var sb strings.Builder
	for i := 0; i < chars; i++ {
		c := rune(order.Uint32(b[4*i:]))
		if c == 0 {
			break // NumPy pads with NULs
		}
		if !utf8.ValidRune(c) {
			return "", fmt.Errorf("character %d is not a Unicode code point", i)
		}
		sb.WriteRune(c)
	}
	return sb.String(), nil
}

// maxEntries is the most entries a checkpoint may hold: a network of 64
// layers has under 400 arrays with its training state.
const maxEntries = 4096

// zipEntries reads the entry count of the zip file f of the given size from
// its end-of-central-directory record (or the zip64 one), so that a file
// declaring millions of entries is refused before archive/zip allocates
// them. It returns -1 if it finds no such record, which archive/zip then
// reports.
func zipEntries(f io.ReaderAt, size int64) int64 {
	const eocdLen, maxComment = 22, 65535
	n := min(size, eocdLen+maxComment)
	tail := make([]byte, n)
	if _, err := f.ReadAt(tail, size-n); err != nil {
		return -1
	}
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) != 0x06054b50 {
			continue
		}
		count := int64(binary.LittleEndian.Uint16(tail[i+10:]))
		if count != 0xffff || i < 20 || binary.LittleEndian.Uint32(tail[i-20:]) != 0x07064b50 {
			return count
		}
		// Zip64: the locator before the record points to the zip64 record.
		off := int64(binary.LittleEndian.Uint64(tail[i-20+8:]))
		var rec [40]byte
		if off < 0 || off > size-40 {
			return -1
		}
		if _, err := f.ReadAt(rec[:], off); err != nil || binary.LittleEndian.Uint32(rec[:]) != 0x06064b50 {
			return -1
		}
		c := binary.LittleEndian.Uint64(rec[32:])
		if c > math.MaxInt64 {
			return math.MaxInt64
		}
		return int64(c)
	}
	return -1
}

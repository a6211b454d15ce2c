package hdf5guard

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// file returns an HDF5-like file of n bytes: a superblock of the given
// version declaring offsets and lengths of the given sizes, and zeros.
func file(n int, version, offsetSize, lengthSize byte) []byte {
	b := make([]byte, n)
	copy(b, "\x89HDF\r\n\x1a\n")
	b[8] = version
	if version < 2 {
		b[13], b[14] = offsetSize, lengthSize
	} else {
		b[9], b[10] = offsetSize, lengthSize
	}
	return b
}

// putHeap writes a heap header with signature sig at i declaring size
// bytes in a field of width bytes.
func putHeap(b []byte, i int, sig string, size uint64, width int) {
	copy(b[i:], sig)
	var v [8]byte
	binary.LittleEndian.PutUint64(v[:], size)
	copy(b[i+8:i+8+width], v[:width])
}

func check(b []byte) error { return CheckHeaps(bytes.NewReader(b), int64(len(b))) }

func TestCheckHeapsSizes(t *testing.T) {
	const n = 4096
	for _, c := range []struct {
		name                string
		version, off, width byte
		at                  int
		sig                 string
		size                uint64
		bad                 bool
	}{
		{"local heap fits", 2, 8, 8, 100, "HEAP", n - 100, false},
		{"local heap too large", 2, 8, 8, 100, "HEAP", n + 1, true},
		{"4-byte lengths (superblock 0)", 0, 8, 4, 100, "HEAP", 1 << 31, true},
		{"global heap too large", 3, 8, 8, 200, "GCOL\x01", 1 << 56, true},
		{"2-byte offsets", 1, 2, 8, 200, "GCOL\x01", 0xffff, true},
		{"global heap of another version", 2, 8, 8, 200, "GCOL\x02", 1 << 56, false},
		{"header cut off by the end of the file", 2, 8, 8, n - 10, "HEAP", 1 << 56, false},
	} {
		b := file(n, c.version, c.off, c.width)
		width := int(c.width)
		if c.sig != "HEAP" {
			width = int(c.off)
		}
		putHeap(b, c.at, c.sig, c.size, min(width, n-c.at-8))
		err := check(b)
		want := fmt.Sprintf("corrupt: heap at byte %d declares %d bytes, more than the file's %d", c.at, c.size, n)
		if c.bad && (err == nil || err.Error() != want) {
			t.Errorf("%s: error %v, want %q", c.name, err, want)
		}
		if !c.bad && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// A file that is not HDF5, or whose superblock is of an unknown version or
// declares sizes no HDF5 file has, is left to the reader.
func TestCheckHeapsLeavesOtherFiles(t *testing.T) {
	for name, b := range map[string][]byte{
		"not HDF5":             make([]byte, 256),
		"superblock 4":         file(256, 4, 8, 8),
		"offsets of 3 bytes":   file(256, 2, 3, 8),
		"shorter than a block": file(12, 2, 8, 8),
	} {
		if len(b) > 100 {
			putHeap(b, 100, "HEAP", 1<<60, 8)
		}
		if err := check(b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The objects of a global heap are walked; one larger than the heap is
// what would make the reader's walk wrap around and loop forever.
func TestCheckHeapsObjects(t *testing.T) {
	const n, at, heap = 1024, 64, 256
	good := file(n, 2, 8, 8)
	putHeap(good, at, "GCOL\x01", heap, 8)
	// Objects from byte 16 of the heap: 2-byte ID, references, reserved,
	// 8-byte size, data padded to 8 bytes.
	binary.LittleEndian.PutUint16(good[at+16:], 1)
	binary.LittleEndian.PutUint64(good[at+24:], 5)
	binary.LittleEndian.PutUint16(good[at+40:], 2)
	binary.LittleEndian.PutUint64(good[at+48:], heap-56-16)
	if err := check(good); err != nil {
		t.Fatalf("good heap: %v", err)
	}
	bad := bytes.Clone(good)
	binary.LittleEndian.PutUint64(bad[at+48:], 1<<64-16)
	want := fmt.Sprintf("corrupt: object at byte 40 of the heap at byte %d declares %d bytes, more than the heap's %d", at, uint64(1<<64-16), heap)
	if err := check(bad); err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	// A heap that runs past the end of the file is the reader's to refuse.
	past := file(n, 2, 8, 8)
	putHeap(past, n-64, "GCOL\x01", 128, 8)
	if err := check(past); err != nil {
		t.Errorf("heap past the end: %v", err)
	}
}

// The file is read in chunks of 1 MiB; a header across or right after a
// chunk boundary is found once.
func TestCheckHeapsAcrossChunks(t *testing.T) {
	const chunk = 1 << 20
	for _, at := range []int{chunk - 12, chunk - 4, chunk, chunk + 1} {
		b := file(chunk+4096, 2, 8, 8)
		putHeap(b, at, "HEAP", 1<<40, 8)
		if err := check(b); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("heap at byte %d ", at)) {
			t.Errorf("heap at %d: error %v", at, err)
		}
	}
}

type failingReader struct{ b []byte }

func (r failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off > 0 {
		return 0, errors.New("disk on fire")
	}
	return bytes.NewReader(r.b).ReadAt(p, off)
}

func TestCheckHeapsReadError(t *testing.T) {
	b := file(2<<20, 2, 8, 8)
	if err := CheckHeaps(failingReader{b}, int64(len(b))); err == nil || err.Error() != "disk on fire" {
		t.Errorf("error %v, want the reader's", err)
	}
}

func TestCall(t *testing.T) {
	err := Call(func() error { panic("index out of range") })
	if err == nil || err.Error() != "HDF5 reader failed on corrupt input: index out of range" {
		t.Errorf("panic: error %v", err)
	}
	want := errors.New("plain")
	if err := Call(func() error { return want }); err != want {
		t.Errorf("error %v, want %v", err, want)
	}
}

package hdf5guard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Call runs fn, a call into the HDF5 reader, and turns a panic into an
// error: the reader can crash on offsets a damaged file sets.
func Call(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("HDF5 reader failed on corrupt input: %v", r)
		}
	}()
	return fn()
}

// CheckHeaps scans the fileSize bytes of f for the headers of local heaps
// ("HEAP") and global heap collections ("GCOL") and rejects the file if
// one declares more bytes than the file holds, or if a global heap holds
// an object larger than the heap. A file that is not HDF5, or whose
// superblock it does not know, passes: the reader rejects it.
//
// The reader allocates a heap in full before reading it, and an object
// size near 2^64 makes its walk over a global heap overflow and loop
// forever. The scan matches what the reader checks before it uses a heap:
// the signature, and for a global heap also version 1. A match can be a
// false one inside data; callers whose data cannot form a signature say
// why in their own documentation.
func CheckHeaps(f io.ReaderAt, fileSize int64) error {
	offsetSize, lengthSize, ok := superblockSizes(f)
	if !ok {
		return nil
	}
	s := &heapScan{f: f, fileSize: fileSize, offsetSize: offsetSize, lengthSize: lengthSize}
	// Consecutive chunks overlap by more than a heap header, so that a
	// header across a chunk boundary is read whole.
	const chunk, overlap = 1 << 20, 32
	buf := make([]byte, chunk+overlap)
	for off := int64(0); off < fileSize; off += chunk {
		n, err := f.ReadAt(buf, off)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if err := s.scan(buf[:n], chunk, off); err != nil {
			return err
		}
	}
	return nil
}

// heapScan holds the state of CheckHeaps.
type heapScan struct {
	f                      io.ReaderAt
	fileSize               int64
	offsetSize, lengthSize int
	heap                   []byte // buffer for a global heap
}

// scan checks the heaps that start in the first chunk bytes of buf, which
// holds the file from offset off on; heaps starting later are checked with
// the next chunk. Both kinds of heap store their size after eight header
// bytes; the reader takes that of a global heap to be offset-sized.
func (s *heapScan) scan(buf []byte, chunk int, off int64) error {
	for _, h := range []struct {
		sig       string
		sizeBytes int
		global    bool
	}{{"HEAP", s.lengthSize, false}, {"GCOL\x01", s.offsetSize, true}} {
		for i := 0; ; i++ {
			j := bytes.Index(buf[i:], []byte(h.sig))
			if j < 0 || i+j >= chunk {
				break
			}
			i += j
			end := i + 8 + h.sizeBytes
			if end > len(buf) {
				break // the file ends inside the header: the reader fails
			}
			size := leUint(buf[i+8 : end])
			if size > uint64(s.fileSize) {
				return fmt.Errorf("corrupt: heap at byte %d declares %d bytes, more than the file's %d", off+int64(i), size, s.fileSize)
			}
			if h.global {
				if err := s.checkObjects(off+int64(i), int(size)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkObjects walks the objects of the global heap of the given size at
// addr the way the reader does and checks that none is larger than the
// heap. Each object has a header of 8 bytes and an offset-sized size, and
// its data is padded to a multiple of 8 bytes.
func (s *heapScan) checkObjects(addr int64, size int) error {
	s.heap = slices.Grow(s.heap[:0], size)[:size]
	if n, _ := s.f.ReadAt(s.heap, addr); n < size {
		return nil // the heap runs past the end of the file: the reader fails
	}
	hdr := 8 + s.offsetSize // object ID, references, reserved, size
	for pos := (8 + s.offsetSize + 7) &^ 7; pos+hdr <= size; {
		objSize := leUint(s.heap[pos+8 : pos+hdr])
		if objSize > uint64(size) {
			return fmt.Errorf("corrupt: object at byte %d of the heap at byte %d declares %d bytes, more than the heap's %d",
				pos, addr, objSize, size)
		}
		pos += hdr + (int(objSize)+7)&^7
	}
	return nil
}

// superblockSizes reads the sizes of offsets and lengths from the
// superblock at the start of f: bytes 13 and 14 in superblock versions 0
// and 1, bytes 9 and 10 in versions 2 and 3.
func superblockSizes(f io.ReaderAt) (offsetSize, lengthSize int, ok bool) {
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

// leUint decodes a little-endian unsigned integer of 2, 4 or 8 bytes.
func leUint(b []byte) uint64 {
	var v uint64
	for k := len(b) - 1; k >= 0; k-- {
		v = v<<8 | uint64(b[k])
	}
	return v
}

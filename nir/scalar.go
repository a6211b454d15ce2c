package nir

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"github.com/scigolib/hdf5"
)

// makeScalar turns the one-element data sets at paths (such as
// "/node/type") of the HDF5 file at path into scalar data sets.
//
// The reference reader needs scalars: it compares node["type"][()] with
// b"CubaLIF" and decodes f["version"][()], which fail on an array of one
// string. The HDF5 writer of github.com/scigolib/hdf5 v0.14.0 cannot create
// a scalar dataspace (CreateDataset and its dataspace encoder reject empty
// dimensions; its attributes are [1] arrays too), so such data sets are
// written as [1] arrays and their dataspace message is rewritten here: a
// version 1 dataspace of rank 0 is a scalar (HDF5 file format, sec. IV.A.2.b;
// H5O__sdspace_decode), and the element count and storage stay those of one
// element. The object headers the writer makes are version 2, whose
// Jenkins lookup3 checksum is checked before and recomputed after the edit.
func makeScalar(path string, paths []string) error {
	f, err := hdf5.Open(path)
	if err != nil {
		return err
	}
	addr := map[string]uint64{}
	f.Walk(func(p string, o hdf5.Object) {
		if d, ok := o.(*hdf5.Dataset); ok {
			addr[p] = d.Address()
		}
	})
	f.Close()
	file, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	for _, p := range paths {
		a, ok := addr[p]
		if !ok {
			file.Close()
			return fmt.Errorf("data set %s: not found after writing", p)
		}
		if err := scalarHeader(file, int64(a)); err != nil {
			file.Close()
			return fmt.Errorf("data set %s: making it scalar: %w", p, err)
		}
	}
	return file.Close()
}

// scalarHeader rewrites the dataspace message of the version 2 object
// header at addr from one dimension of size 1 to a scalar.
func scalarHeader(f *os.File, addr int64) error {
	var pre [6 + 16 + 4 + 8]byte
	if _, err := f.ReadAt(pre[:], addr); err != nil {
		return err
	}
	if string(pre[:4]) != "OHDR" || pre[4] != 2 {
		return errors.New("not a version 2 object header")
	}
	flags := pre[5]
	pos := 6
	if flags&0x20 != 0 { // access, modification, change and birth times
		pos += 16
	}
	if flags&0x10 != 0 { // attribute storage phase change values
		pos += 4
	}
	width := 1 << (flags & 3)
	var size uint64
	for i := width - 1; i >= 0; i-- {
		size = size<<8 | uint64(pre[pos+i])
	}
	pos += width
	if size > 1<<16 {
		return fmt.Errorf("object header chunk of %d bytes", size)
	}
	end := pos + int(size)
	buf := make([]byte, end+4)
	if _, err := f.ReadAt(buf, addr); err != nil {
		return err
	}
	if got, want := lookup3(buf[:end]), binary.LittleEndian.Uint32(buf[end:]); got != want {
		return fmt.Errorf("object header checksum %#x, computed %#x", want, got)
	}
	msgHdr := 4
	if flags&0x04 != 0 { // creation order of messages
		msgHdr += 2
	}
	for pos+msgHdr <= end {
		typ, n := buf[pos], int(binary.LittleEndian.Uint16(buf[pos+1:]))
		data := pos + msgHdr
		if data+n > end {
			break
		}
		if typ == 1 { // dataspace
			d := buf[data : data+n]
			switch {
			case n >= 16 && d[0] == 1 && d[1] == 1 && d[2]&1 == 0 && binary.LittleEndian.Uint64(d[8:]) == 1:
				d[1] = 0 // rank 0: scalar
			case n >= 12 && d[0] == 2 && d[1] == 1 && d[2]&1 == 0 && d[3] == 1 && binary.LittleEndian.Uint64(d[4:]) == 1:
				d[1], d[3] = 0, 0 // rank 0, type scalar
			default:
				return fmt.Errorf("dataspace message % x is not one dimension of size 1", d)
			}
			binary.LittleEndian.PutUint32(buf[end:], lookup3(buf[:end]))
			_, err := f.WriteAt(buf, addr)
			return err
		}
		pos = data + n
	}
	return errors.New("no dataspace message in the first object header chunk")
}

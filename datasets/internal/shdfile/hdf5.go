package shdfile

import (
	"fmt"
	"os"

	"github.com/scigolib/hdf5"
)

// Set is one data set of an HDF5 file to be written.
type Set struct {
	Path string // absolute, such as "/spikes/times"
	Type hdf5.Datatype
	Dims []uint64
	Data any
	Opts []hdf5.DatasetOption
}

// Write writes a new HDF5 file at path holding the given groups
// (parents first) and data sets, in that order; opts go to
// hdf5.CreateForWrite. On failure it removes the file. A panic in the
// writer is returned as an error.
func Write(path string, groups []string, sets []Set, opts ...any) (err error) {
	fw, err := hdf5.CreateForWrite(path, hdf5.CreateTruncate, opts...)
	if err != nil {
		return fmt.Errorf("shdfile: %s: %w", path, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("shdfile: %s: HDF5 writer failed: %v", path, r)
		}
		if cerr := fw.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("shdfile: %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	for _, g := range groups {
		if _, err := fw.CreateGroup(g); err != nil {
			return fmt.Errorf("shdfile: %s: group %s: %w", path, g, err)
		}
	}
	for _, s := range sets {
		ds, err := fw.CreateDataset(s.Path, s.Type, s.Dims, s.Opts...)
		if err == nil {
			err = ds.Write(s.Data)
		}
		if err != nil {
			return fmt.Errorf("shdfile: %s: data set %s: %w", path, s.Path, err)
		}
	}
	return nil
}

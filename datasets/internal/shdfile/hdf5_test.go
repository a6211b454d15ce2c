package shdfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/scigolib/hdf5"
)

func TestWriteRemovesFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.h5")
	err := Write(path, nil, []Set{{Path: "/x", Type: hdf5.Uint16, Dims: []uint64{3}, Data: "not numbers"}})
	if err == nil {
		t.Fatal("no error")
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Errorf("the failed write left %s behind (error %v)", path, err)
	}
	if err := Write(filepath.Join(t.TempDir(), "no", "such", "dir.h5"), nil, nil); err == nil {
		t.Error("no error for a file in a missing directory")
	}
}

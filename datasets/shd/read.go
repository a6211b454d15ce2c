package shd

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
	"github.com/spikegrad/spikegrad/internal/hdf5guard"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// rawFile holds the data sets of an SHD file as the HDF5 reader returns them.
type rawFile struct {
	times, units [][]byte
	labels       []float64
	keys         []string // nil if the file has no extra/keys
	speakers     []string // nil if the file has no extra/speaker
}

// readRaw opens the HDF5 file at path and reads the data sets SHD needs.
func readRaw(path string) (*rawFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		if _, gzErr := os.Stat(path + ".gz"); gzErr == nil {
			return nil, fmt.Errorf("%w (found %s.gz: decompress it first)", err, filepath.Base(path))
		}
		return nil, err
	}
	if err := checkHeaps(path, info.Size()); err != nil {
		return nil, err
	}
	var file *hdf5.File
	if err := hdf5guard.Call(func() (err error) { file, err = hdf5.Open(path); return err }); err != nil {
		return nil, fmt.Errorf("not a readable HDF5 file: %w", err)
	}
	defer file.Close()
	sets := map[string]*hdf5.Dataset{}
	if err := hdf5guard.Call(func() error { sets = datasetsByPath(file); return nil }); err != nil {
		return nil, err
	}
	get := func(name string) (*hdf5.Dataset, error) {
		d := sets[name]
		if d == nil {
			return nil, fmt.Errorf("no data set %s", name)
		}
		if err := checkShape(d, name, info.Size()); err != nil {
			return nil, err
		}
		return d, nil
	}
	raw := &rawFile{}
	for _, step := range []func() error{
		func() (err error) { raw.times, err = readVLen(get, shdfile.Times); return err },
		func() (err error) { raw.units, err = readVLen(get, shdfile.Units); return err },
		func() (err error) { raw.labels, err = readLabels(get); return err },
		func() (err error) {
			if sets[shdfile.Keys] != nil {
				raw.keys, err = readStrings(get, shdfile.Keys)
			}
			return err
		},
		func() (err error) {
			if sets[shdfile.Speaker] != nil {
				raw.speakers, err = readSpeakers(get)
			}
			return err
		},
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// arrayShape matches the element size and length of a one-dimensional
// data set in the description returned by hdf5.Dataset.Info, such as
// "Dataset: integer (size=2 bytes), 1D array [8156], contiguous (...)".
var arrayShape = regexp.MustCompile(`^Dataset: .*\(size=(\d+) bytes\), 1D array \[(\d+)\],`)

// checkShape checks that d is one-dimensional and that its elements fit
// into the file.
//
// The HDF5 reader allocates memory for all elements of a data set before it
// reads them, trusting the sizes in the file. A damaged size would make it
// ask for terabytes, which kills the process rather than failing the load,
// so the sizes are checked here first. They are known only through the
// description of Dataset.Info.
func checkShape(d *hdf5.Dataset, name string, fileSize int64) error {
	var desc string
	if err := hdf5guard.Call(func() (err error) { desc, err = d.Info(); return err }); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m := arrayShape.FindStringSubmatch(desc)
	if m == nil {
		return fmt.Errorf("%s: want a one-dimensional data set, got %s", name, strings.TrimPrefix(desc, "Dataset: "))
	}
	size, err1 := strconv.ParseUint(m[1], 10, 64)
	n, err2 := strconv.ParseUint(m[2], 10, 64)
	if err1 != nil || err2 != nil || size == 0 || n > uint64(fileSize)/size {
		return fmt.Errorf("%s: %s elements of %s bytes do not fit into the file's %d bytes", name, m[2], m[1], fileSize)
	}
	return nil
}

// checkHeaps rejects the file at path if a heap header in it declares
// more than the file holds (see hdf5guard.CheckHeaps). In SHD files the
// spike data cannot produce a false match: all signature bytes are above
// 0x40, but every four consecutive bytes of uint16 channels below 700 or of
// float16 or float32 times below 2 s contain a byte below 0x40.
func checkHeaps(path string, fileSize int64) error {
	f, err := readlimit.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return hdf5guard.CheckHeaps(f, fileSize)
}

// datasetsByPath indexes the data sets of f by their path without the leading
// slash, such as "spikes/times".
func datasetsByPath(f *hdf5.File) map[string]*hdf5.Dataset {
	sets := map[string]*hdf5.Dataset{}
	f.Walk(func(path string, obj hdf5.Object) {
		if d, ok := obj.(*hdf5.Dataset); ok {
			sets[strings.TrimPrefix(path, "/")] = d
		}
	})
	return sets
}

// readVLen reads the variable-length data set name as raw bytes.
func readVLen(get func(string) (*hdf5.Dataset, error), name string) ([][]byte, error) {
	d, err := get(name)
	if err != nil {
		return nil, err
	}
	var b [][]byte
	if err := hdf5guard.Call(func() (err error) { b, err = d.ReadVLenBytes(); return err }); err != nil {
		return nil, fmt.Errorf("%s: want variable-length sequences: %w", name, err)
	}
	return b, nil
}

// readLabels reads the labels, which must be stored as integers. The
// reader's Read converts any numeric type to float64; the integer check
// uses the datatype description of Dataset.Info, the only place where the
// reader reveals the stored type.
func readLabels(get func(string) (*hdf5.Dataset, error)) ([]float64, error) {
	d, err := get(shdfile.Labels)
	if err != nil {
		return nil, err
	}
	var info string
	var labels []float64
	err = hdf5guard.Call(func() (err error) {
		if info, err = d.Info(); err != nil {
			return err
		}
		if !strings.HasPrefix(info, "Dataset: integer") {
			return fmt.Errorf("want integers, got %s", strings.TrimPrefix(info, "Dataset: "))
		}
		labels, err = d.Read()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shdfile.Labels, err)
	}
	return labels, nil
}

// readSpeakers reads extra/speaker, stored as integers (SHD) or strings,
// as strings.
func readSpeakers(get func(string) (*hdf5.Dataset, error)) ([]string, error) {
	d, err := get(shdfile.Speaker)
	if err != nil {
		return nil, err
	}
	var info string
	var ids []float64
	err = hdf5guard.Call(func() (err error) {
		if info, err = d.Info(); err != nil || !strings.HasPrefix(info, "Dataset: integer") {
			return err
		}
		ids, err = d.Read()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", shdfile.Speaker, err)
	}
	if !strings.HasPrefix(info, "Dataset: integer") {
		return readStrings(get, shdfile.Speaker)
	}
	out := make([]string, len(ids))
	for i, v := range ids {
		out[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out, nil
}

// readStrings reads a data set of variable-length or, failing that,
// fixed-length strings, dropping trailing NUL padding.
func readStrings(get func(string) (*hdf5.Dataset, error), name string) ([]string, error) {
	d, err := get(name)
	if err != nil {
		return nil, err
	}
	var out []string
	err = hdf5guard.Call(func() error {
		raw, vlenErr := d.ReadVLenBytes()
		if vlenErr == nil {
			for _, b := range raw {
				out = append(out, strings.TrimRight(string(b), "\x00"))
			}
			return nil
		}
		fixed, fixedErr := d.ReadStrings()
		if fixedErr != nil {
			return fmt.Errorf("want strings: %w; %w", vlenErr, fixedErr)
		}
		for _, s := range fixed {
			out = append(out, strings.TrimRight(s, "\x00"))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

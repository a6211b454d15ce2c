package shdfile

import (
	"encoding/binary"

	"github.com/scigolib/hdf5"

	"github.com/spikegrad/spikegrad/datasets/internal/half"
)

// File names of the published SHD data and the paths, without the leading
// slash, of the data sets the loader reads. The Spiking Speech Commands
// (SSC) have the same layout in ssc_train.h5, ssc_valid.h5 and
// ssc_test.h5; see FileName.
const (
	TrainFile = "shd_train.h5"
	TestFile  = "shd_test.h5"
	Times     = "spikes/times"
	Units     = "spikes/units"
	Labels    = "labels"
	Keys      = "extra/keys"
	Speaker   = "extra/speaker"
)

// FileName returns the name of a published file: set is "shd" or "ssc",
// part "train", "valid" or "test".
func FileName(set, part string) string { return set + "_" + part + ".h5" }

// HalfTimes encodes spike times in seconds as little-endian float16, the
// element type of spikes/times in the published SHD files.
func HalfTimes(times []float32) []byte {
	b := make([]byte, 0, 2*len(times))
	for _, t := range times {
		b = binary.LittleEndian.AppendUint16(b, half.FromFloat32(t))
	}
	return b
}

// UnitBytes encodes channels as little-endian uint16, the element type
// of spikes/units in the published SHD files.
func UnitBytes(units []uint16) []byte {
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// Content is what an SHD file holds, already encoded where HDF5 needs
// it: per sample the little-endian bytes of its spike times (float16 or
// float32 seconds) and channels (uint16), the labels, the class names and
// the speaker of every sample, and per speaker the meta information.
type Content struct {
	Times, Units [][]byte
	Labels       []uint16
	Keys         []string
	Speakers     []uint16
	// SpeakerNames, if set, replaces Speakers: the speakers are then
	// stored as strings, such as the hashes that name the speakers of
	// Speech Commands.
	SpeakerNames []string
	Gender       []string
	Age          []uint16
	Height       []float32 // m
}

// Groups are the groups of an SHD file.
var Groups = []string{"/spikes", "/extra", "/extra/meta_info"}

// Layout returns the data sets of an SHD file holding c, in the layout of
// the published files: spikes/times, spikes/units, labels, extra/keys,
// extra/speaker and extra/meta_info/{gender,age,body_height}.
//
// The HDF5 writer has no variable-length uint16 or float16 types, so the
// channels and times are declared as variable-length uint8 sequences that
// hold their little-endian bytes. The loader cannot tell the difference:
// the HDF5 reader hands out variable-length data as raw bytes whatever the
// declared type, and the loader infers the widths from the byte counts. (A
// reader that honours the declared type, such as h5py, sees the bytes.)
func Layout(c Content) []Set {
	vec := func(path string, dtype hdf5.Datatype, n int, data any) Set {
		return Set{Path: path, Type: dtype, Dims: []uint64{uint64(n)}, Data: data}
	}
	speakers := vec("/"+Speaker, hdf5.Uint16, len(c.Speakers), c.Speakers)
	if c.SpeakerNames != nil {
		speakers = vec("/"+Speaker, hdf5.VLenString, len(c.SpeakerNames), c.SpeakerNames)
	}
	return []Set{
		vec("/"+Times, hdf5.VLenUint8, len(c.Times), c.Times),
		vec("/"+Units, hdf5.VLenUint8, len(c.Units), c.Units),
		vec("/"+Labels, hdf5.Uint16, len(c.Labels), c.Labels),
		vec("/"+Keys, hdf5.VLenString, len(c.Keys), c.Keys),
		speakers,
		vec("/extra/meta_info/gender", hdf5.VLenString, len(c.Gender), c.Gender),
		vec("/extra/meta_info/age", hdf5.Uint16, len(c.Age), c.Age),
		vec("/extra/meta_info/body_height", hdf5.Float32, len(c.Height), c.Height),
	}
}

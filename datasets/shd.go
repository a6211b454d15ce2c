package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/scigolib/hdf5"
)

// SHD file names and the paths of the data sets read from them.
const (
	shdTrainFile = "shd_train.h5"
	shdTestFile  = "shd_test.h5"
	shdTimes     = "spikes/times"
	shdUnits     = "spikes/units"
	shdLabels    = "labels"
	shdKeys      = "extra/keys"
)

// SHDConfig describes the Spiking Heidelberg Digits (Cramer et al. 2020):
// spoken digits 0 to 9 in English and German, converted by a model of the
// inner ear into spikes of 700 channels. The spike times are binned onto a
// grid of Steps steps of DT seconds.
type SHDConfig struct {
	// Dir is the directory holding shd_train.h5 and shd_test.h5, as
	// unpacked from the published shd_train.h5.gz and shd_test.h5.gz.
	Dir string
	// DT is the bin width Δt in seconds.
	DT float64
	// Steps is the number of bins T. Spikes at or after Steps·DT are
	// dropped and counted in SHDFileStats.
	Steps int
	// Units is the number of input channels. A spike of a channel ≥ Units
	// is an error rather than being dropped, since it means the file is
	// not what the configuration expects.
	Units int
	// Classes is the number of labels; a label ≥ Classes is an error.
	Classes int
	// ValidationFraction is the fraction of the training file that is set
	// aside, by a shuffle seeded with Seed, as the validation split.
	ValidationFraction float64
	// Seed determines the validation split.
	Seed uint64
}

// DefaultSHD returns bins of 2 ms over the first 0.8 s of every recording,
// 700 channels, 20 classes and 10% of the training file held out for
// validation.
//
// The longest recordings last over a second, but most of the speech lies in
// the first 0.8 s; the spikes after it are dropped to keep the number of
// time steps a network has to be unrolled for at 400. SHDWithStats reports
// how many that is.
func DefaultSHD() SHDConfig {
	return SHDConfig{
		DT:                 2e-3,
		Steps:              400,
		Units:              700,
		Classes:            20,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// Validate reports the first field of c that is out of range, naming it.
// An empty Dir is reported by SHD, not here, so that DefaultSHD validates.
func (c SHDConfig) Validate() error {
	if !(c.DT > 0) || math.IsInf(c.DT, 1) {
		return fmt.Errorf("datasets: shd: DT must be finite and > 0, got %g", c.DT)
	}
	for _, f := range []struct {
		name string
		val  int
	}{{"Steps", c.Steps}, {"Units", c.Units}, {"Classes", c.Classes}} {
		if f.val < 1 || f.val > math.MaxInt32 {
			return fmt.Errorf("datasets: shd: %s must be in [1, %d], got %d", f.name, math.MaxInt32, f.val)
		}
	}
	if !(c.ValidationFraction >= 0 && c.ValidationFraction < 1) {
		return fmt.Errorf("datasets: shd: ValidationFraction must be in [0, 1), got %g", c.ValidationFraction)
	}
	return nil
}

// SHDFileStats summarises what reading one SHD file kept and dropped.
type SHDFileStats struct {
	File    string
	Samples int
	// EmptySamples counts the samples without any spike in the file.
	EmptySamples int
	// Spikes counts all spikes in the file, Dropped those at or after the
	// end of the window, and TruncatedSamples the samples that lost at
	// least one spike that way.
	Spikes, Dropped, TruncatedSamples int
	// TimeBytes is the width of a stored spike time: 2 for float16, 4 for
	// float32, 0 if the file holds no spike.
	TimeBytes int
}

// String formats s for a log line.
func (s SHDFileStats) String() string {
	pct := 0.0
	if s.Spikes > 0 {
		pct = 100 * float64(s.Dropped) / float64(s.Spikes)
	}
	return fmt.Sprintf("%s: %d samples (%d empty), %d spikes, %d (%.2f%%) after the window dropped from %d samples",
		s.File, s.Samples, s.EmptySamples, s.Spikes, s.Dropped, pct, s.TruncatedSamples)
}

// SHDStats holds the statistics of both files of a load.
type SHDStats struct {
	Train, Test SHDFileStats
}

// SHD loads the Spiking Heidelberg Digits as described by c. The validation
// split is carved out of shd_train.h5 with Split.SplitOff; the test split is
// shd_test.h5. Use SHDWithStats to learn how many spikes fell outside the
// window.
func SHD(c SHDConfig) (*Data, error) {
	d, _, err := SHDWithStats(c)
	return d, err
}

// SHDWithStats is SHD that also reports, per file, how many spikes were
// read and how many were dropped.
//
// A sample becomes one event per occupied (step, channel) bin, sorted by
// step and then channel, whose Value is the number of spikes in the bin.
// This is what the raster of the individual spikes would add up to, in
// fewer events. The class names are read from extra/keys, which must agree
// between the two files.
func SHDWithStats(c SHDConfig) (*Data, SHDStats, error) {
	var stats SHDStats
	if err := c.Validate(); err != nil {
		return nil, stats, err
	}
	if c.Dir == "" {
		return nil, stats, errors.New("datasets: shd: Dir must name the directory holding shd_train.h5 and shd_test.h5")
	}
	train, err := readSHDFile(filepath.Join(c.Dir, shdTrainFile), "train", c)
	if err != nil {
		return nil, stats, err
	}
	test, err := readSHDFile(filepath.Join(c.Dir, shdTestFile), "test", c)
	if err != nil {
		return nil, stats, err
	}
	stats = SHDStats{Train: train.stats, Test: test.stats}
	if !slices.Equal(train.keys, test.keys) {
		return nil, stats, fmt.Errorf("datasets: shd: %s: class names %q differ from those of %s, %q",
			test.stats.File, test.keys, train.stats.File, train.keys)
	}
	val, tr, err := train.split.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
	if err != nil {
		return nil, stats, err
	}
	d := &Data{Name: "shd", ClassNames: train.keys, Train: tr, Validation: val, Test: test.split}
	if err := d.Validate(); err != nil {
		return nil, stats, err
	}
	return d, stats, nil
}

// shdFile is the content of one SHD file.
type shdFile struct {
	split *Split
	keys  []string
	stats SHDFileStats
}

// shdRaw holds the data sets of an SHD file as the HDF5 reader returns them.
type shdRaw struct {
	times, units [][]byte
	labels       []float64
	keys         []string
}

// readSHDFile reads and bins the SHD file at path into a split named name.
// Every error names the file.
func readSHDFile(path, name string, c SHDConfig) (*shdFile, error) {
	raw, err := readSHDRaw(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: shd: %s: %w", path, err)
	}
	f, err := binSHD(raw, name, c)
	if err != nil {
		return nil, fmt.Errorf("datasets: shd: %s: %w", path, err)
	}
	f.stats.File = path
	return f, nil
}

// readSHDRaw opens the HDF5 file at path and reads the data sets SHD needs.
func readSHDRaw(path string) (*shdRaw, error) {
	info, err := os.Stat(path)
	if err != nil {
		if _, gzErr := os.Stat(path + ".gz"); gzErr == nil {
			return nil, fmt.Errorf("%w (found %s.gz: decompress it first)", err, filepath.Base(path))
		}
		return nil, err
	}
	if err := shdCheckHeaps(path, info.Size()); err != nil {
		return nil, err
	}
	var file *hdf5.File
	if err := shdCall(func() (err error) { file, err = hdf5.Open(path); return err }); err != nil {
		return nil, fmt.Errorf("not a readable HDF5 file: %w", err)
	}
	defer file.Close()
	sets := map[string]*hdf5.Dataset{}
	if err := shdCall(func() error { sets = shdDatasets(file); return nil }); err != nil {
		return nil, err
	}
	get := func(name string) (*hdf5.Dataset, error) {
		d := sets[name]
		if d == nil {
			return nil, fmt.Errorf("no data set %s", name)
		}
		if err := shdCheckShape(d, name, info.Size()); err != nil {
			return nil, err
		}
		return d, nil
	}
	raw := &shdRaw{}
	for _, step := range []func() error{
		func() (err error) { raw.times, err = shdReadVLen(get, shdTimes); return err },
		func() (err error) { raw.units, err = shdReadVLen(get, shdUnits); return err },
		func() (err error) { raw.labels, err = shdReadLabels(get); return err },
		func() (err error) { raw.keys, err = shdReadStrings(get, shdKeys); return err },
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// shdArrayShape matches the element size and length of a one-dimensional
// data set in the description returned by hdf5.Dataset.Info, such as
// "Dataset: integer (size=2 bytes), 1D array [8156], contiguous (...)".
var shdArrayShape = regexp.MustCompile(`^Dataset: .*\(size=(\d+) bytes\), 1D array \[(\d+)\],`)

// shdCheckShape checks that d is one-dimensional and that its elements fit
// into the file.
//
// The HDF5 reader allocates memory for all elements of a data set before it
// reads them, trusting the sizes in the file. A damaged size would make it
// ask for terabytes, which kills the process rather than failing the load,
// so the sizes are checked here first. They are known only through the
// description of Dataset.Info.
func shdCheckShape(d *hdf5.Dataset, name string, fileSize int64) error {
	var desc string
	if err := shdCall(func() (err error) { desc, err = d.Info(); return err }); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	m := shdArrayShape.FindStringSubmatch(desc)
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

// shdCheckHeaps scans the file at path for the headers of local heaps
// ("HEAP") and global heap collections ("GCOL") and rejects the file if one
// declares more bytes than the file holds, or if a global heap holds an
// object larger than the heap.
//
// The HDF5 reader trusts these sizes: it allocates a heap in full before
// reading it (see shdCheckShape), and an object size near 2^64 makes its
// walk over a global heap overflow and loop forever. The scan matches what
// the reader checks before it uses a heap: the signature, and for a global
// heap also version 1. In SHD files the spike data cannot produce a false
// match: all signature bytes are above 0x40, but every four consecutive
// bytes of uint16 channels below 700 or of float16 or float32 times below
// 2 s contain a byte below 0x40.
func shdCheckHeaps(path string, fileSize int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	offsetSize, lengthSize, ok := shdSizes(f)
	if !ok {
		return nil // not HDF5 or an unknown superblock: left to the reader
	}
	s := &shdHeapScan{f: f, fileSize: fileSize, offsetSize: offsetSize, lengthSize: lengthSize}
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

// shdHeapScan holds the state of shdCheckHeaps.
type shdHeapScan struct {
	f                      io.ReaderAt
	fileSize               int64
	offsetSize, lengthSize int
	heap                   []byte // buffer for a global heap
}

// scan checks the heaps that start in the first chunk bytes of buf, which
// holds the file from offset off on; heaps starting later are checked with
// the next chunk. Both kinds of heap store their size after eight header
// bytes; the reader takes that of a global heap to be offset-sized.
func (s *shdHeapScan) scan(buf []byte, chunk int, off int64) error {
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
			size := shdUint(buf[i+8 : end])
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
// heap. Each object has a 16-byte header (with 8-byte offsets) holding its
// size, and its data is padded to a multiple of 8 bytes.
func (s *shdHeapScan) checkObjects(addr int64, size int) error {
	s.heap = slices.Grow(s.heap[:0], size)[:size]
	if n, _ := s.f.ReadAt(s.heap, addr); n < size {
		return nil // the heap runs past the end of the file: the reader fails
	}
	hdr := 8 + s.offsetSize // object ID, references, reserved, size
	for pos := (8 + s.offsetSize + 7) &^ 7; pos+hdr <= size; {
		objSize := shdUint(s.heap[pos+8 : pos+hdr])
		if objSize > uint64(size) {
			return fmt.Errorf("corrupt: object at byte %d of the heap at byte %d declares %d bytes, more than the heap's %d",
				pos, addr, objSize, size)
		}
		pos += hdr + (int(objSize)+7)&^7
	}
	return nil
}

// shdSizes reads the sizes of offsets and lengths from the superblock at the
// start of f: bytes 13 and 14 in superblock versions 0 and 1, bytes 9 and 10
// in versions 2 and 3.
func shdSizes(f io.ReaderAt) (offsetSize, lengthSize int, ok bool) {
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

// shdUint decodes a little-endian unsigned integer of 2, 4 or 8 bytes.
func shdUint(b []byte) uint64 {
	var v uint64
	for k := len(b) - 1; k >= 0; k-- {
		v = v<<8 | uint64(b[k])
	}
	return v
}

// shdCall runs a call into the HDF5 reader and turns a panic into an error.
// The reader is a young pure-Go implementation that trusts the offsets and
// sizes it finds in the file, so a damaged file can crash it; recovering
// here limits the damage to one failed load.
func shdCall(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("HDF5 reader failed on corrupt input: %v", r)
		}
	}()
	return fn()
}

// shdDatasets indexes the data sets of f by their path without the leading
// slash, such as "spikes/times".
func shdDatasets(f *hdf5.File) map[string]*hdf5.Dataset {
	sets := map[string]*hdf5.Dataset{}
	f.Walk(func(path string, obj hdf5.Object) {
		if d, ok := obj.(*hdf5.Dataset); ok {
			sets[strings.TrimPrefix(path, "/")] = d
		}
	})
	return sets
}

// shdReadVLen reads the variable-length data set name as raw bytes.
func shdReadVLen(get func(string) (*hdf5.Dataset, error), name string) ([][]byte, error) {
	d, err := get(name)
	if err != nil {
		return nil, err
	}
	var b [][]byte
	if err := shdCall(func() (err error) { b, err = d.ReadVLenBytes(); return err }); err != nil {
		return nil, fmt.Errorf("%s: want variable-length sequences: %w", name, err)
	}
	return b, nil
}

// shdReadLabels reads the labels, which must be stored as integers. The
// reader's Read converts any numeric type to float64; the integer check
// uses the datatype description of Dataset.Info, the only place where the
// reader reveals the stored type.
func shdReadLabels(get func(string) (*hdf5.Dataset, error)) ([]float64, error) {
	d, err := get(shdLabels)
	if err != nil {
		return nil, err
	}
	var info string
	var labels []float64
	err = shdCall(func() (err error) {
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
		return nil, fmt.Errorf("%s: %w", shdLabels, err)
	}
	return labels, nil
}

// shdReadStrings reads a data set of variable-length or, failing that,
// fixed-length strings, dropping trailing NUL padding.
func shdReadStrings(get func(string) (*hdf5.Dataset, error), name string) ([]string, error) {
	d, err := get(name)
	if err != nil {
		return nil, err
	}
	var out []string
	err = shdCall(func() error {
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

// binSHD checks the raw data sets of a file against c and bins the spikes.
func binSHD(raw *shdRaw, name string, c SHDConfig) (*shdFile, error) {
	n := len(raw.labels)
	if len(raw.times) != n || len(raw.units) != n {
		return nil, fmt.Errorf("%s, %s and %s have %d, %d and %d entries, want equal counts",
			shdTimes, shdUnits, shdLabels, len(raw.times), len(raw.units), n)
	}
	if len(raw.keys) != c.Classes {
		return nil, fmt.Errorf("%s has %d class names, want %d (SHDConfig.Classes)", shdKeys, len(raw.keys), c.Classes)
	}
	width, err := shdTimeWidth(raw.times, raw.units)
	if err != nil {
		return nil, err
	}
	f := &shdFile{
		split: &Split{Name: name, Steps: c.Steps, Units: c.Units, Classes: c.Classes, Samples: make([]Sample, n)},
		keys:  raw.keys,
		stats: SHDFileStats{Samples: n, TimeBytes: width},
	}
	b := &shdBinner{c: c, width: width}
	for i := range n {
		label, err := shdLabel(raw.labels[i], c.Classes)
		if err != nil {
			return nil, fmt.Errorf("sample %d: %w", i, err)
		}
		events, err := b.bin(raw.times[i], raw.units[i], &f.stats)
		if err != nil {
			return nil, fmt.Errorf("sample %d: %w", i, err)
		}
		f.split.Samples[i] = Sample{Label: label, Events: events}
	}
	return f, nil
}

// shdLabel converts a stored label to an int in [0, classes).
func shdLabel(l float64, classes int) (int, error) {
	if !(l >= 0 && l < float64(classes)) || l != math.Trunc(l) {
		return 0, fmt.Errorf("label %g outside [0, %d) (SHDConfig.Classes)", l, classes)
	}
	return int(l), nil
}

// shdTimeWidth infers the byte width of the stored spike times from the
// byte counts of the times and units of each sample.
//
// The HDF5 reader returns variable-length data as raw bytes without their
// element type. The channels are uint16 in SHD, which gives the number of
// spikes of a sample; the times of the sample then take 2 bytes per spike
// if they are float16 and 4 if float32. The width must be the same for all
// samples, which catches files whose channels are not uint16.
func shdTimeWidth(times, units [][]byte) (int, error) {
	width := 0
	for i := range units {
		if len(units[i])%2 != 0 {
			return 0, fmt.Errorf("sample %d: %s holds %d bytes, not a whole number of uint16 channels", i, shdUnits, len(units[i]))
		}
		spikes := len(units[i]) / 2
		if spikes == 0 {
			if len(times[i]) != 0 {
				return 0, fmt.Errorf("sample %d: %d bytes of %s but no channels", i, len(times[i]), shdTimes)
			}
			continue
		}
		w := len(times[i]) / spikes
		if w*spikes != len(times[i]) || (width != 0 && w != width) {
			return 0, fmt.Errorf("sample %d: %d bytes of %s for %d spikes; earlier samples use %d bytes per time",
				i, len(times[i]), shdTimes, spikes, width)
		}
		if w != 2 && w != 4 {
			return 0, fmt.Errorf("sample %d: %s elements are %d bytes wide, want 2 (float16) or 4 (float32)", i, shdTimes, w)
		}
		width = w
	}
	return width, nil
}

// shdBinner bins the spikes of one sample after another, reusing its
// buffer.
type shdBinner struct {
	c     SHDConfig
	width int
	keys  []uint64
}

// bin decodes the spikes of one sample, bins them and adds its counts to
// st. Spike times must be finite and non-negative.
func (b *shdBinner) bin(times, units []byte, st *SHDFileStats) ([]Event, error) {
	n := len(units) / 2
	st.Spikes += n
	if n == 0 {
		st.EmptySamples++
		return nil, nil
	}
	b.keys = b.keys[:0]
	dropped := 0
	for j := range n {
		unit := int(binary.LittleEndian.Uint16(units[2*j:]))
		if unit >= b.c.Units {
			return nil, fmt.Errorf("spike %d: channel %d outside [0, %d) (SHDConfig.Units)", j, unit, b.c.Units)
		}
		t := b.time(times, j)
		if !(t >= 0) || math.IsInf(t, 1) {
			return nil, fmt.Errorf("spike %d: time %g s is not a finite non-negative number", j, t)
		}
		step := math.Floor(t / b.c.DT)
		if step >= float64(b.c.Steps) {
			dropped++
			continue
		}
		b.keys = append(b.keys, uint64(step)<<32|uint64(unit))
	}
	st.Dropped += dropped
	if dropped > 0 {
		st.TruncatedSamples++
	}
	return shdEvents(b.keys), nil
}

// time decodes spike time j of a sample, in seconds.
func (b *shdBinner) time(times []byte, j int) float64 {
	if b.width == 2 {
		return float64(halfToFloat32(binary.LittleEndian.Uint16(times[2*j:])))
	}
	return float64(math.Float32frombits(binary.LittleEndian.Uint32(times[4*j:])))
}

// shdEvents sorts step<<32 | unit keys and turns every run of equal keys
// into one event whose Value counts the run.
func shdEvents(keys []uint64) []Event {
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	distinct := 1
	for j := 1; j < len(keys); j++ {
		if keys[j] != keys[j-1] {
			distinct++
		}
	}
	events := make([]Event, 0, distinct)
	for j, k := range keys {
		if j > 0 && k == keys[j-1] {
			events[len(events)-1].Value++
			continue
		}
		events = append(events, Event{Step: int32(k >> 32), Unit: int32(uint32(k)), Value: 1})
	}
	return events
}

// halfToFloat32 converts an IEEE 754 binary16 (half precision) value, given
// by its bits, to float32, which represents every half value exactly. SHD
// stores its spike times as float16, which Go has no type for.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN, keeping the NaN payload
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0: // normal: rebias the exponent from 15 to 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	default: // zero or subnormal: mant · 2^-24, exact in float32
		f := float32(mant) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	}
}

package shd

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/internal/half"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// shdSpec describes a small SHD file for writeSHD.
//
// The HDF5 writer of github.com/scigolib/hdf5 has no variable-length uint16
// or float16 types, so the channels and float16 times are written as
// variable-length uint8 sequences holding their little-endian bytes. The
// loader cannot tell the difference: the reader hands out variable-length
// data as raw bytes whatever the declared type, and the loader infers the
// widths from the byte counts.
type shdSpec struct {
	times  [][]float32 // seconds; stored as float16 unless float32Times
	units  [][]uint16
	labels []uint16
	keys   []string

	float32Times bool
	superblockV0 bool // the legacy layout that h5py writes by default
	// Variations for error cases.
	omit        string   // path of a data set to leave out
	float64Time bool     // store the times as float64 sequences
	plainTimes  bool     // store the times as a plain float32 array
	floatLabels bool     // store the labels as float32
	labels2D    bool     // store the labels as a 2×2 matrix
	rawUnits    [][]byte // store these bytes as the channels
	rawTimes    [][]byte // store these bytes as the times
	fixedKeys   bool     // store the keys as fixed-length strings
	extraLabels []uint16 // appended to labels, to mismatch the counts
	nanTime     *[2]int  // sample and spike whose time becomes NaN
	negTime     *[2]int  // sample and spike whose time becomes -1
}

// halfBits returns the float16 bits of f, which must be a float16 value or
// NaN.
func halfBits(t testing.TB, f float32) uint16 {
	h := half.FromFloat32(f)
	if !math.IsNaN(float64(f)) && half.ToFloat32(h) != f {
		t.Fatalf("%g is not a float16 value", f)
	}
	return h
}

// shdTimeBytes encodes the times of one sample as float16 or float32.
func shdTimeBytes(t testing.TB, times []float32, float32Times bool) []byte {
	var b []byte
	for _, x := range times {
		if float32Times {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		} else {
			b = binary.LittleEndian.AppendUint16(b, halfBits(t, x))
		}
	}
	return b
}

// defaultKeys are 20 class names.
func defaultKeys() []string {
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = "digit-" + string(rune('a'+i))
	}
	return keys
}

// writeSHD writes s as an HDF5 file at path, with the layout of the
// published files (shdfile.Layout) changed as s asks for.
func writeSHD(t testing.TB, path string, s shdSpec) {
	t.Helper()
	var opts []any
	if s.superblockV0 {
		opts = append(opts, hdf5.WithSuperblockVersion(hdf5.SuperblockV0))
	}
	units := s.rawUnits
	if units == nil {
		for _, u := range s.units {
			units = append(units, shdfile.UnitBytes(u))
		}
	}
	keys := s.keys
	if keys == nil {
		keys = defaultKeys()
	}
	labels := append(slices.Clone(s.labels), s.extraLabels...)
	c := shdfile.Content{
		Units: units, Labels: labels, Keys: keys, Speakers: make([]uint16, len(labels)),
		Gender: []string{"female", "male"}, Age: []uint16{30, 40}, Height: []float32{1.7, 1.8},
	}
	var sets []shdfile.Set
	for _, set := range shdfile.Layout(c) {
		switch set.Path[1:] {
		case s.omit:
			continue
		case shdfile.Times:
			set = writeSHDTimes(t, s, len(units))
		case shdfile.Labels:
			set = writeSHDLabels(s, labels)
		case shdfile.Keys:
			if s.fixedKeys {
				set = shdfile.Set{Path: set.Path, Type: hdf5.String, Dims: set.Dims, Data: keys, Opts: []hdf5.DatasetOption{hdf5.WithStringSize(16)}}
			}
		}
		sets = append(sets, set)
	}
	if err := shdfile.Write(path, shdfile.Groups, sets, opts...); err != nil {
		t.Fatal(err)
	}
}

// writeSHDLabels returns the labels data set as s asks for.
func writeSHDLabels(s shdSpec, labels []uint16) shdfile.Set {
	set := shdfile.Set{Path: "/" + shdfile.Labels, Type: hdf5.Uint16, Dims: []uint64{uint64(len(labels))}, Data: labels}
	switch {
	case s.labels2D:
		set.Dims = []uint64{2, uint64(len(labels) / 2)}
	case s.floatLabels:
		f := make([]float32, len(labels))
		for i, l := range labels {
			f[i] = float32(l)
		}
		set.Type, set.Data = hdf5.Float32, f
	}
	return set
}

// writeSHDTimes returns the spike times data set of n samples in the
// representation s asks for.
func writeSHDTimes(t testing.TB, s shdSpec, n int) shdfile.Set {
	times := slices.Clone(s.times)
	for i := range times {
		times[i] = slices.Clone(times[i])
	}
	if p := s.nanTime; p != nil {
		times[p[0]][p[1]] = float32(math.NaN())
	}
	if p := s.negTime; p != nil {
		times[p[0]][p[1]] = -1
	}
	set := shdfile.Set{Path: "/" + shdfile.Times, Dims: []uint64{uint64(n)}}
	switch {
	case s.rawTimes != nil:
		set.Type, set.Data = hdf5.VLenUint8, s.rawTimes
	case s.plainTimes:
		set.Type, set.Data = hdf5.Float32, make([]float32, n)
	case s.float64Time:
		f := make([][]float64, len(times))
		for i, ts := range times {
			for _, x := range ts {
				f[i] = append(f[i], float64(x))
			}
		}
		set.Type, set.Data = hdf5.VLenFloat64, f
	case s.float32Times:
		set.Type, set.Data = hdf5.VLenFloat32, times
	default:
		b := make([][]byte, len(times))
		for i, ts := range times {
			b[i] = shdTimeBytes(t, ts, false)
		}
		set.Type, set.Data = hdf5.VLenUint8, b
	}
	return set
}

// smallSHD is a file of four samples on a grid of 4 steps of 0.25 s. Sample
// 0 has spikes at both edges of the window, sample 1 none, sample 2 two
// spikes of one channel in one bin and sample 3 only spikes after the
// window.
func smallSHD() shdSpec {
	return shdSpec{
		times: [][]float32{
			{0, 0.25, 0.5, 0.99951171875, 1, 1.5},
			{},
			{0.75, 0.875, 0.5},
			{1, 2},
		},
		units: [][]uint16{
			{3, 699, 0, 5, 6, 7},
			{},
			{2, 2, 9},
			{1, 1},
		},
		labels: []uint16{0, 19, 7, 3},
	}
}

// smallSHDConfig reads dir on the grid of smallSHD.
func smallSHDConfig(dir string) Config {
	c := Default()
	c.Dir = dir
	c.DT = 250
	c.Steps = 4
	c.ValidationFraction = 0.25
	return c
}

// ev is the event of unit u at step s with value v.
func ev(s, u int32, v float32) datasets.Event { return datasets.Event{Step: s, Unit: u, Value: v} }

// smallSHDEvents are the binned samples of smallSHD, in file order.
var smallSHDEvents = [][]datasets.Event{
	{ev(0, 3, 1), ev(1, 699, 1), ev(2, 0, 1), ev(3, 5, 1)},
	nil,
	{ev(2, 9, 1), ev(3, 2, 2)},
	nil,
}

// writeSHDDir writes train as shd_train.h5 and test as shd_test.h5 into a
// new directory.
func writeSHDDir(t testing.TB, train, test shdSpec) string {
	dir := t.TempDir()
	writeSHD(t, filepath.Join(dir, shdfile.TrainFile), train)
	writeSHD(t, filepath.Join(dir, shdfile.TestFile), test)
	return dir
}

func TestSHDSmall(t *testing.T) {
	for _, tc := range []struct{ f32, v0 bool }{{false, false}, {true, false}, {false, true}} {
		f32 := tc.f32
		train, test := smallSHD(), smallSHD()
		train.float32Times, test.float32Times = f32, f32
		train.superblockV0, test.superblockV0 = tc.v0, tc.v0
		d, stats, err := LoadWithStats(smallSHDConfig(writeSHDDir(t, train, test)))
		if err != nil {
			t.Fatalf("float32 %v: %v", f32, err)
		}
		if d.Name != "shd" || !slices.Equal(d.ClassNames, defaultKeys()) {
			t.Errorf("name %q, class names %q", d.Name, d.ClassNames)
		}
		if d.Train.Len() != 3 || d.Validation.Len() != 1 || d.Test.Len() != 4 {
			t.Fatalf("split sizes %d/%d/%d, want 3/1/4", d.Train.Len(), d.Validation.Len(), d.Test.Len())
		}
		if d.Test.Steps != 4 || d.Test.Units != 700 || d.Test.Classes != 20 {
			t.Errorf("grid %d×%d with %d classes", d.Test.Steps, d.Test.Units, d.Test.Classes)
		}
		for i, s := range d.Test.Samples {
			if !slices.Equal(s.Events, smallSHDEvents[i]) || s.Label != int(test.labels[i]) {
				t.Errorf("float32 %v: sample %d: label %d, events %v, want %d, %v", f32, i, s.Label, s.Events, test.labels[i], smallSHDEvents[i])
			}
		}
		width := map[bool]int{false: 2, true: 4}[f32]
		want := FileStats{File: filepath.Join(filepath.Dir(stats.Test.File), shdfile.TestFile), Samples: 4, EmptySamples: 1,
			Spikes: 11, Dropped: 4, TruncatedSamples: 2, TimeBytes: width}
		if stats.Test != want || stats.Train.Dropped != 4 {
			t.Errorf("stats %+v, want %+v", stats, want)
		}
		if s := stats.Test.String(); !strings.Contains(s, "11 spikes, 4 (36.36%) after the window dropped from 2 samples") {
			t.Errorf("stats line %q", s)
		}
	}
}

// TestSHDWindowEdge checks the bins at the end of the default window of
// 400 steps of 2 ms, where float16 cannot represent 0.8 s exactly.
func TestSHDWindowEdge(t *testing.T) {
	// Around 2 ms the float16 values are 2^-19 s apart, around 0.8 s 2^-11 s.
	below, at := float32(0.7998046875), float32(0.80078125)
	spec := shdSpec{
		times:  [][]float32{{0, 0.0019989013671875, 0.0020008087158203125, below, at}},
		units:  [][]uint16{{0, 1, 2, 3, 4}},
		labels: []uint16{1},
	}
	c := Default()
	c.Dir = writeSHDDir(t, spec, spec)
	d, stats, err := LoadWithStats(c)
	if err != nil {
		t.Fatal(err)
	}
	want := []datasets.Event{ev(0, 0, 1), ev(0, 1, 1), ev(1, 2, 1), ev(399, 3, 1)}
	if got := d.Test.Samples[0].Events; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	if stats.Test.Dropped != 1 {
		t.Errorf("dropped %d spikes, want 1", stats.Test.Dropped)
	}
	// With float32 times a spike at exactly Steps·DT is dropped and the
	// one just before kept.
	spec.float32Times = true
	spec.times = [][]float32{{0.25, math.Nextafter32(1, 0), 1}}
	spec.units = [][]uint16{{0, 1, 2}}
	d, stats, err = LoadWithStats(smallSHDConfig(writeSHDDir(t, spec, spec)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Test.Samples[0].Events, []datasets.Event{ev(1, 0, 1), ev(3, 1, 1)}; !slices.Equal(got, want) || stats.Test.Dropped != 1 {
		t.Errorf("events %v with %d dropped, want %v with 1", got, stats.Test.Dropped, want)
	}
}

func TestSHDSeed(t *testing.T) {
	spec := shdSpec{labels: make([]uint16, 10)}
	for i := range 10 {
		spec.times = append(spec.times, []float32{0})
		spec.units = append(spec.units, []uint16{uint16(i)})
	}
	c := smallSHDConfig(writeSHDDir(t, spec, spec))
	c.ValidationFraction = 0.3
	order := func(c Config) []int32 {
		d, err := Load(c)
		if err != nil {
			t.Fatal(err)
		}
		if d.Validation.Len() != 3 || d.Train.Len() != 7 {
			t.Fatalf("split sizes %d/%d, want 7/3", d.Train.Len(), d.Validation.Len())
		}
		var units []int32
		for _, s := range append(slices.Clone(d.Validation.Samples), d.Train.Samples...) {
			units = append(units, s.Events[0].Unit)
		}
		return units
	}
	a := order(c)
	if b := order(c); !slices.Equal(a, b) {
		t.Errorf("same seed, different splits: %v and %v", a, b)
	}
	c.Seed++
	if slices.Equal(a, order(c)) {
		t.Errorf("seeds %d and %d give the same split", c.Seed-1, c.Seed)
	}
	if s := slices.Sorted(slices.Values(a)); !slices.Equal(s, []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("train and validation hold samples %v, want each of 0..9 once", s)
	}
}

func TestSHDFixedLengthKeys(t *testing.T) {
	spec := smallSHD()
	spec.fixedKeys = true
	d, err := Load(smallSHDConfig(writeSHDDir(t, spec, spec)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ClassNames, defaultKeys()) {
		t.Errorf("class names %q, want %q", d.ClassNames, defaultKeys())
	}
}

func TestSHDErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(s *shdSpec, c *Config)
		wants []string
	}{
		{"missing times", func(s *shdSpec, c *Config) { s.omit = shdfile.Times }, []string{"no data set spikes/times"}},
		{"missing units", func(s *shdSpec, c *Config) { s.omit = shdfile.Units }, []string{"no data set spikes/units"}},
		{"missing labels", func(s *shdSpec, c *Config) { s.omit = shdfile.Labels }, []string{"no data set labels"}},
		{"float labels", func(s *shdSpec, c *Config) { s.floatLabels = true }, []string{"labels: want integers, got float"}},
		{"2-D labels", func(s *shdSpec, c *Config) { s.labels2D = true },
			[]string{"labels: want a one-dimensional data set, got integer (size=2 bytes), 2D array [2 x 2]"}},
		{"plain times", func(s *shdSpec, c *Config) { s.plainTimes = true }, []string{"spikes/times: want variable-length sequences"}},
		{"float64 times", func(s *shdSpec, c *Config) { s.float64Time = true },
			[]string{"sample 0: spikes/times elements are 8 bytes wide, want 2 (float16) or 4 (float32)"}},
		{"mixed time widths", func(s *shdSpec, c *Config) {
			s.rawTimes = [][]byte{make([]byte, 12), {}, make([]byte, 12), make([]byte, 4)}
		}, []string{"sample 2: 12 bytes of spikes/times for 3 spikes; earlier samples use 2 bytes per time"}},
		{"times without units", func(s *shdSpec, c *Config) {
			s.rawTimes = [][]byte{make([]byte, 12), {0, 0}, make([]byte, 6), make([]byte, 4)}
		}, []string{"sample 1: 2 bytes of spikes/times but no channels"}},
		{"odd channel bytes", func(s *shdSpec, c *Config) {
			s.rawUnits = [][]byte{make([]byte, 12), {}, make([]byte, 5), make([]byte, 4)}
		}, []string{"sample 2: spikes/units holds 5 bytes, not a whole number of uint16 channels"}},
		{"count mismatch", func(s *shdSpec, c *Config) { s.extraLabels = []uint16{1} },
			[]string{"spikes/times, spikes/units and labels have 4, 4 and 5 entries"}},
		{"label out of range", func(s *shdSpec, c *Config) { s.labels[2] = 20 },
			[]string{"sample 2: label 20 outside [0, 20) (shd.Config.Classes)"}},
		{"fewer classes", func(s *shdSpec, c *Config) { c.Classes = 10; s.keys = defaultKeys()[:10] },
			[]string{"sample 1: label 19 outside [0, 10)"}},
		{"keys count", func(s *shdSpec, c *Config) { s.keys = defaultKeys()[:19] },
			[]string{"extra/keys has 19 class names, want 20 (shd.Config.Classes)"}},
		{"channel out of range", func(s *shdSpec, c *Config) { s.units[2][1] = 700 },
			[]string{"sample 2: spike 1: channel 700 outside [0, 700) (shd.Config.Units)"}},
		{"fewer channels", func(s *shdSpec, c *Config) { c.Units = 10 },
			[]string{"sample 0: spike 1: channel 699 outside [0, 10)"}},
		{"NaN time", func(s *shdSpec, c *Config) { s.nanTime = &[2]int{2, 1} },
			[]string{"sample 2: spike 1: time NaN s is not a finite non-negative number"}},
		{"negative time", func(s *shdSpec, c *Config) { s.negTime = &[2]int{0, 3} },
			[]string{"sample 0: spike 3: time -1 s is not a finite non-negative number"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, c := smallSHD(), smallSHDConfig("")
			tc.edit(&spec, &c)
			c.Dir = writeSHDDir(t, spec, spec)
			_, err := Load(c)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range append(tc.wants, filepath.Join(c.Dir, shdfile.TrainFile)+": ") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSHDFileErrors(t *testing.T) {
	dir := writeSHDDir(t, smallSHD(), smallSHD())
	trainPath := filepath.Join(dir, shdfile.TrainFile)
	good, err := os.ReadFile(trainPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		setup func()
		wants []string
	}{
		{"missing", func() { os.Remove(trainPath) }, []string{trainPath, "no such file"}},
		{"gzipped", func() { os.Rename(trainPath, trainPath+".gz") }, []string{trainPath, "found shd_train.h5.gz: decompress it first"}},
		{"not HDF5", func() { os.WriteFile(trainPath, []byte("hello"), 0o644) }, []string{trainPath, "not a readable HDF5 file"}},
		{"empty", func() { os.WriteFile(trainPath, nil, 0o644) }, []string{trainPath, "not a readable HDF5 file"}},
		{"truncated", func() { os.WriteFile(trainPath, good[:len(good)/2], 0o644) }, []string{trainPath}},
		{"superblock only", func() { os.WriteFile(trainPath, good[:64], 0o644) }, []string{trainPath}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(trainPath + ".gz")
			if err := os.WriteFile(trainPath, good, 0o644); err != nil {
				t.Fatal(err)
			}
			tc.setup()
			_, err := Load(smallSHDConfig(dir))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestSHDCorruptBytes inverts single bytes all over a valid file: every load
// must end in data or an error naming the file, never in a crash. A sweep
// over every byte takes minutes, so the test inverts every 29th (every
// 211th with -short), which hits each kind of structure in the file.
func TestSHDCorruptBytes(t *testing.T) {
	dir := writeSHDDir(t, smallSHD(), smallSHD())
	path := filepath.Join(dir, shdfile.TestFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := smallSHDConfig(dir)
	stride := 29
	if testing.Short() {
		stride = 211
	}
	failed, tried := 0, 0
	for i := 0; i < len(good); i += stride {
		bad := slices.Clone(good)
		bad[i] ^= 0xff
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		tried++
		if _, err := readFile(path, "test", c); err != nil {
			failed++
			if !strings.Contains(err.Error(), path) {
				t.Errorf("byte %d: error %q does not name the file", i, err)
			}
		}
	}
	t.Logf("%d of %d corrupted files were rejected", failed, tried)
}

// TestSHDHeapSizes damages the size of the first local heap and of the
// first global heap collection. The HDF5 reader would try to allocate the
// declared 2^56 bytes and kill the process; checkHeaps must reject the
// file first.
func TestSHDHeapSizes(t *testing.T) {
	for _, v0 := range []bool{false, true} {
		spec := smallSHD()
		spec.superblockV0 = v0
		dir := writeSHDDir(t, spec, spec)
		path := filepath.Join(dir, shdfile.TrainFile)
		good, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]byte{false: 2, true: 0}[v0]; good[8] != want {
			t.Fatalf("superblock version %d, want %d", good[8], want)
		}
		for _, sig := range []string{"HEAP\x00\x00\x00\x00", "GCOL\x01\x00\x00\x00"} {
			i := strings.Index(string(good), sig)
			if i < 0 {
				t.Fatalf("no %q in the file", sig[:4])
			}
			bad := slices.Clone(good)
			binary.LittleEndian.PutUint64(bad[i+8:], 1<<56)
			if sig[:4] == "HEAP" {
				// The reader checks neither the version nor the
				// reserved bytes of a local heap (found by FuzzSHD).
				bad[i+4], bad[i+6] = 0x7f, 0x01
			}
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(smallSHDConfig(dir))
			want := fmt.Sprintf("%s: corrupt: heap at byte %d declares %d bytes, more than the file's %d", path, i, uint64(1)<<56, len(good))
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("superblock v0 %v, %s size damaged: error %v, want %q", v0, sig[:4], err, want)
			}
		}
	}
}

// TestSHDHeapObjectSize turns the first object of a global heap into free
// space of 2^64-16 bytes. The HDF5 reader's walk over the heap would step
// back by the 16 bytes of the object header and loop forever (found by
// FuzzSHD); checkHeaps must reject the file first.
func TestSHDHeapObjectSize(t *testing.T) {
	dir := writeSHDDir(t, smallSHD(), smallSHD())
	path := filepath.Join(dir, shdfile.TrainFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(good), "GCOL\x01")
	if i < 0 {
		t.Fatal("no global heap in the file")
	}
	bad := slices.Clone(good)
	binary.LittleEndian.PutUint16(bad[i+16:], 0)        // object ID 0: free space
	binary.LittleEndian.PutUint64(bad[i+24:], 1<<64-16) // its size
	if err := os.WriteFile(path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(smallSHDConfig(dir))
	want := fmt.Sprintf("%s: corrupt: object at byte 16 of the heap at byte %d declares %d bytes", path, i, uint64(1<<64-16))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestSHDValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	for field, edit := range map[string]func(*Config){
		"DT":                 func(c *Config) { c.DT = 0 },
		"Steps":              func(c *Config) { c.Steps = 0 },
		"Units":              func(c *Config) { c.Units = -1 },
		"Classes":            func(c *Config) { c.Classes = 0 },
		"ValidationFraction": func(c *Config) { c.ValidationFraction = math.NaN() },
	} {
		c := Default()
		edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v does not name the field", field, err)
		}
		if _, err2 := Load(c); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: SHD returned %v, want the validation error", field, err2)
		}
	}
	if _, err := Load(Default()); err == nil || !strings.Contains(err.Error(), "Dir") {
		t.Errorf("empty Dir: error %v, want one naming Dir", err)
	}
}

// FuzzSHD loads arbitrary bytes as an SHD file. The seeds are a valid file
// with float16 and one with float32 times and damaged versions of them.
func FuzzSHD(f *testing.F) {
	dir := f.TempDir()
	for i, f32 := range []bool{false, true} {
		spec := smallSHD()
		spec.float32Times = f32
		path := filepath.Join(dir, string(rune('a'+i))+".h5")
		writeSHD(f, path, spec)
		good, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(good)
		f.Add(good[:len(good)/2])
		f.Add(good[:48])
		for _, off := range []int{8, 100, 200, 400, 800, 1600, len(good) - 10} {
			if off < len(good) {
				bad := slices.Clone(good)
				bad[off] ^= 0x55
				f.Add(bad)
			}
		}
	}
	f.Add([]byte("\x89HDF\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), shdfile.TrainFile)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c := smallSHDConfig(filepath.Dir(path))
		sf, err := readFile(path, "train", c)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		if err := sf.split.Validate(); err != nil {
			t.Errorf("accepted a file with invalid samples: %v", err)
		}
	})
}

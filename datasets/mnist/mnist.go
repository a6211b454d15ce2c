package mnist

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// MNIST geometry.
const (
	rows    = 28
	cols    = 28
	pixels  = rows * cols
	classes = 10
)

// fileCounts are the numbers of images in the training and test files.
type fileCounts struct{ train, test int }

// officialCounts are the sizes of the original files, which MNIST insists
// on: a file of another size is a different or damaged data set. Tests use
// smaller counts.
var officialCounts = fileCounts{train: 60000, test: 10000}

// Config describes spike-latency MNIST (Zenke & Vogels 2021, section
// 4.1.2): every pixel drives one input unit that fires at most once, the
// earlier the brighter the pixel.
type Config struct {
	// Dir is the directory holding train-images-idx3-ubyte,
	// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
	// t10k-labels-idx1-ubyte, each either plain or gzip-compressed with a
	// .gz suffix. Empty means the data folder of Module, located by
	// ModuleDir. A --data-dir flag should set this field.
	Dir string
	// Steps is the number of time steps T; spikes at step ≥ Steps are
	// dropped.
	Steps int
	// DT is the time step Δt in ms.
	DT float64
	// TauEff is the effective membrane time constant τ_eff in ms that
	// scales the latencies.
	TauEff float64
	// Theta is the threshold ϑ on the normalised pixel value x ∈ [0, 1);
	// pixels with x ≤ Theta stay silent.
	Theta float64
	// ValidationFraction is the fraction of the 60000 training images that
	// is set aside, by a shuffle seeded with Seed, as the validation split.
	ValidationFraction float64
	// Seed determines the validation split.
	Seed uint64
	// Limit, if positive, caps the number of samples of every split, for
	// quick runs. The training and validation splits keep a random subset
	// (their first samples after the shuffle), the test split its first
	// Limit images.
	Limit int
}

// Default returns the configuration of the paper: ϑ = 0.2,
// τ_eff = 50 ms, Δt = 1 ms and T = 100 steps, with 10% of the training set
// held out for validation.
//
// With these values the brightest pixel (x = 255/256) fires at step 11 and
// pixels below x ≈ 0.231 (value 59) would fire after the 100 ms window, so
// only values 60 to 255 produce spikes.
func Default() Config {
	return Config{
		Steps:              100,
		DT:                 1,
		TauEff:             50,
		Theta:              0.2,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// Validate reports the first field of c that is out of range, naming it.
func (c Config) Validate() error {
	if c.Steps < 1 || c.Steps > math.MaxInt32 {
		return fmt.Errorf("mnist: Steps must be in [1, %d], got %d", math.MaxInt32, c.Steps)
	}
	for _, f := range []struct {
		name string
		val  float64
	}{{"DT", c.DT}, {"TauEff", c.TauEff}} {
		if !(f.val > 0) || math.IsInf(f.val, 1) {
			return fmt.Errorf("mnist: %s must be finite and > 0 ms, got %g", f.name, f.val)
		}
	}
	if !(c.Theta >= 0 && c.Theta < 1) {
		return fmt.Errorf("mnist: Theta must be in [0, 1), got %g", c.Theta)
	}
	if !(c.ValidationFraction >= 0 && c.ValidationFraction < 1) {
		return fmt.Errorf("mnist: ValidationFraction must be in [0, 1), got %g", c.ValidationFraction)
	}
	if c.Limit < 0 {
		return fmt.Errorf("mnist: Limit must be ≥ 0 (0 = no limit), got %d", c.Limit)
	}
	return nil
}

// Load loads spike-latency MNIST as described by c. The validation split is
// carved out of the 60000 training images with Split.SplitOff; the test split
// is the official 10000 test images.
func Load(c Config) (*datasets.Data, error) {
	return load(c, officialCounts)
}

// load is MNIST with the expected file sizes as a parameter.
func load(c Config, n fileCounts) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	dir := c.Dir
	if dir == "" {
		var err error
		if dir, err = ModuleDir(); err != nil {
			return nil, err
		}
	}
	enc := newLatencyEncoder(c)
	train, err := loadSplit(dir, "train", n.train, enc)
	if err != nil {
		return nil, err
	}
	test, err := loadSplit(dir, "t10k", n.test, enc)
	if err != nil {
		return nil, err
	}
	test.Name = "test"
	val, train, err := train.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
	if err != nil {
		return nil, err
	}
	d := &datasets.Data{Name: "mnist", ClassNames: classNames(), Train: train, Validation: val, Test: test}
	if c.Limit > 0 {
		for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
			s.Samples = s.Samples[:min(c.Limit, len(s.Samples))]
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// classNames returns "0" to "9".
func classNames() []string {
	names := make([]string, classes)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

// loadSplit reads the images and labels with the given prefix ("train"
// or "t10k"), checks that there are want of them, and encodes them.
func loadSplit(dir, prefix string, want int, enc *latencyEncoder) (*datasets.Split, error) {
	_, pix, err := readFile(dir, prefix+"-images-idx3-ubyte", idxImagesMagic, []int{want, rows, cols})
	if err != nil {
		return nil, err
	}
	lblPath, labels, err := readFile(dir, prefix+"-labels-idx1-ubyte", idxLabelsMagic, []int{want})
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(labels, func(l byte) bool { return l >= classes }); i >= 0 {
		return nil, fmt.Errorf("mnist: %s: label %d of image %d outside [0, %d]", lblPath, labels[i], i, classes-1)
	}
	return enc.encode(prefix, pix, labels), nil
}

// readFile finds base or base.gz in dir, parses it as an idx file and
// checks its magic number and dimensions. It returns the path it read and
// the payload.
func readFile(dir, base string, magic uint32, dims []int) (string, []byte, error) {
	path, err := findFile(dir, base)
	if err != nil {
		return "", nil, err
	}
	f, err := readlimit.Open(path)
	if err != nil {
		return "", nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	idx, err := readIDX(f)
	if err == nil {
		err = idx.check(magic, dims)
	}
	if err != nil {
		return "", nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return path, idx.Data, nil
}

// findFile returns the path of base.gz or, failing that, base in dir.
func findFile(dir, base string) (string, error) {
	for _, name := range []string{base + ".gz", base} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return path, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("mnist: %w", err)
		}
	}
	return "", fmt.Errorf("mnist: neither %s nor %s.gz found in %s", base, base, dir)
}

package shd

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// Config describes the Spiking Heidelberg Digits (Cramer et al. 2020):
// spoken digits 0 to 9 in English and German, converted by a model of the
// inner ear into spikes of 700 channels. The spike times are binned onto a
// grid of Steps steps of DT ms.
type Config struct {
	// Dir is the directory holding shd_train.h5 and shd_test.h5, as
	// unpacked from the published shd_train.h5.gz and shd_test.h5.gz.
	Dir string
	// DT is the bin width Δt in ms.
	DT float64
	// Steps is the number of bins T. Spikes at or after Steps·DT are
	// dropped and counted in FileStats.
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

// Default returns bins of 2 ms over the first 0.8 s of every recording,
// 700 channels, 20 classes and 10% of the training file held out for
// validation.
//
// The longest recordings last over a second, but most of the speech lies in
// the first 0.8 s; the spikes after it are dropped to keep the number of
// time steps a network has to be unrolled for at 400. LoadWithStats reports
// how many that is.
func Default() Config {
	return Config{
		DT:                 2,
		Steps:              400,
		Units:              700,
		Classes:            20,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// Validate reports the first field of c that is out of range, naming it.
// An empty Dir is reported by Load, not here, so that Default validates.
func (c Config) Validate() error {
	if !(c.DT > 0) || math.IsInf(c.DT, 1) {
		return fmt.Errorf("shd: DT must be finite and > 0 ms, got %g", c.DT)
	}
	for _, f := range []struct {
		name string
		val  int
	}{{"Steps", c.Steps}, {"Units", c.Units}, {"Classes", c.Classes}} {
		if f.val < 1 || f.val > math.MaxInt32 {
			return fmt.Errorf("shd: %s must be in [1, %d], got %d", f.name, math.MaxInt32, f.val)
		}
	}
	if !(c.ValidationFraction >= 0 && c.ValidationFraction < 1) {
		return fmt.Errorf("shd: ValidationFraction must be in [0, 1), got %g", c.ValidationFraction)
	}
	return nil
}

// FileStats summarises what reading one SHD file kept and dropped.
type FileStats struct {
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
func (s FileStats) String() string {
	pct := 0.0
	if s.Spikes > 0 {
		pct = 100 * float64(s.Dropped) / float64(s.Spikes)
	}
	return fmt.Sprintf("%s: %d samples (%d empty), %d spikes, %d (%.2f%%) after the window dropped from %d samples",
		s.File, s.Samples, s.EmptySamples, s.Spikes, s.Dropped, pct, s.TruncatedSamples)
}

// Stats holds the statistics of both files of a load.
type Stats struct {
	Train, Test FileStats
}

// Load loads the Spiking Heidelberg Digits as described by c. The validation
// split is carved out of shd_train.h5 with datasets.Split.SplitOff; the test split is
// shd_test.h5. Use LoadWithStats to learn how many spikes fell outside the
// window.
func Load(c Config) (*datasets.Data, error) {
	d, _, err := LoadWithStats(c)
	return d, err
}

// LoadWithStats is Load that also reports, per file, how many spikes were
// read and how many were dropped.
//
// A sample becomes one event per occupied (step, channel) bin, sorted by
// step and then channel, whose Value is the number of spikes in the bin.
// This is what the raster of the individual spikes would add up to, in
// fewer events. The class names are read from extra/keys, which must agree
// between the two files.
func LoadWithStats(c Config) (*datasets.Data, Stats, error) {
	var stats Stats
	if err := c.Validate(); err != nil {
		return nil, stats, err
	}
	if c.Dir == "" {
		return nil, stats, errors.New("shd: Dir must name the directory holding shd_train.h5 and shd_test.h5")
	}
	train, err := readFile(filepath.Join(c.Dir, shdfile.TrainFile), "train", c)
	if err != nil {
		return nil, stats, err
	}
	test, err := readFile(filepath.Join(c.Dir, shdfile.TestFile), "test", c)
	if err != nil {
		return nil, stats, err
	}
	stats = Stats{Train: train.stats, Test: test.stats}
	if !slices.Equal(train.keys, test.keys) {
		return nil, stats, fmt.Errorf("shd: %s: class names %q differ from those of %s, %q",
			test.stats.File, test.keys, train.stats.File, train.keys)
	}
	val, tr, err := train.split.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
	if err != nil {
		return nil, stats, err
	}
	d := &datasets.Data{Name: "shd", ClassNames: train.keys, Train: tr, Validation: val, Test: test.split}
	if err := d.Validate(); err != nil {
		return nil, stats, err
	}
	return d, stats, nil
}

// binnedFile is the content of one SHD file.
type binnedFile struct {
	split *datasets.Split
	keys  []string
	stats FileStats
}

// readFile reads and bins the SHD file at path into a split named name.
// Every error names the file.
func readFile(path, name string, c Config) (*binnedFile, error) {
	raw, err := readRaw(path)
	if err != nil {
		return nil, fmt.Errorf("shd: %s: %w", path, err)
	}
	f, err := binFile(raw, name, c)
	if err != nil {
		return nil, fmt.Errorf("shd: %s: %w", path, err)
	}
	f.stats.File = path
	return f, nil
}

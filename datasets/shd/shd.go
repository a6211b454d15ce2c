package shd

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// Config describes the Spiking Heidelberg Digits (SHD, Cramer et al.
// 2020) — spoken digits 0 to 9 in English and German — or the Spiking
// Speech Commands (SSC, same paper) — the 35 words of Speech Commands
// v0.02 — converted by a model of the inner ear into spikes of 700
// channels. The spike times are binned onto a grid of Steps steps of DT
// ms.
type Config struct {
	// Set is "shd" (also when empty) or "ssc".
	Set string
	// Dir is the folder holding shd_train.h5 and shd_test.h5, or
	// ssc_train.h5, ssc_valid.h5 and ssc_test.h5, as unpacked from the
	// published archives.
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
	// Validation says where the validation split comes from:
	//
	//   - "random": ValidationFraction of the training file, drawn by a
	//     shuffle seeded with Seed (the default for SHD, which has no
	//     validation file);
	//   - "speakers": whole speakers of the training file (from
	//     extra/speaker), drawn with Seed, that hold about
	//     ValidationFraction of its samples, so that no speaker is in
	//     both splits and validation measures what the test measures,
	//     generalisation to new speakers;
	//   - "file": the published validation file (SSC only, its default).
	//
	// "" means the default of Set.
	Validation string
	// ValidationFraction is the fraction of the training file that
	// "random" and "speakers" set aside.
	ValidationFraction float64
	// Seed determines the validation split.
	Seed uint64
}

// Validation sources of Config.Validation.
const (
	ValidationRandom   = "random"
	ValidationSpeakers = "speakers"
	ValidationFile     = "file"
)

// SHD and SSC are the values of Config.Set.
const (
	SHD = "shd"
	SSC = "ssc"
)

// Default returns the SHD setup: bins of 2 ms over the first 0.8 s of
// every recording, 700 channels, 20 classes and a random 10 % of the
// training file held out for validation.
//
// The longest recordings last over a second, but most of the speech lies in
// the first 0.8 s; the spikes after it are dropped to keep the number of
// time steps a network has to be unrolled for at 400. LoadWithStats reports
// how many that is.
func Default() Config {
	return Config{
		Set:                SHD,
		DT:                 2,
		Steps:              400,
		Units:              700,
		Classes:            20,
		Validation:         ValidationRandom,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// DefaultSSC returns the SSC setup: bins of 4 ms over the whole second of
// a Speech Commands clip (250 steps), 700 channels, 35 classes and the
// published validation file.
func DefaultSSC() Config {
	return Config{
		Set:                SSC,
		DT:                 4,
		Steps:              250,
		Units:              700,
		Classes:            35,
		Validation:         ValidationFile,
		ValidationFraction: 0.1,
		Seed:               1,
	}
}

// set returns c.Set with the default filled in.
func (c Config) set() string {
	if c.Set == "" {
		return SHD
	}
	return c.Set
}

// validation returns c.Validation with the default of the set filled in.
func (c Config) validation() string {
	switch {
	case c.Validation != "":
		return c.Validation
	case c.set() == SSC:
		return ValidationFile
	}
	return ValidationRandom
}

// Validate reports the first field of c that is out of range, naming it.
// An empty Dir is reported by Load, not here, so that Default validates.
func (c Config) Validate() error {
	if s := c.set(); s != SHD && s != SSC {
		return fmt.Errorf("shd: Set must be %q or %q, got %q", SHD, SSC, c.Set)
	}
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
	switch v := c.validation(); {
	case v == ValidationFile && c.set() != SSC:
		return fmt.Errorf("shd: Validation %q needs a validation file, which only SSC has; use %q or %q", v, ValidationRandom, ValidationSpeakers)
	case v != ValidationRandom && v != ValidationSpeakers && v != ValidationFile:
		return fmt.Errorf("shd: Validation must be %q, %q or %q, got %q", ValidationRandom, ValidationSpeakers, ValidationFile, v)
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

// Stats holds the statistics of the files of a load; Validation is set
// only when the validation split comes from a file of its own.
type Stats struct {
	Train, Validation, Test FileStats
}

// Load loads the data set described by c. Use LoadWithStats to learn how
// many spikes fell outside the window.
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
// between the files; a file without it gets the names "0", "1", … and a
// warning. The test split is the test file and the validation split comes
// from where c.Validation says; the returned data's Notes say which
// speakers were held out.
func LoadWithStats(c Config) (*datasets.Data, Stats, error) {
	var stats Stats
	if err := c.Validate(); err != nil {
		return nil, stats, err
	}
	set := c.set()
	parts := []string{"train", "test"}
	if c.validation() == ValidationFile {
		parts = []string{"train", "valid", "test"}
	}
	if c.Dir == "" {
		return nil, stats, fmt.Errorf("shd: Dir must name the folder holding %s; download them with: go run ./cmd/download --dataset %s --dir <folder>", fileList(set, parts), set)
	}
	files := map[string]*binnedFile{}
	for _, part := range parts {
		name := map[string]string{"train": "train", "valid": "validation", "test": "test"}[part]
		f, err := readFile(filepath.Join(c.Dir, shdfile.FileName(set, part)), name, c)
		if err != nil {
			return nil, stats, err
		}
		files[part] = f
	}
	train, test := files["train"], files["test"]
	stats.Train, stats.Test = train.stats, test.stats
	for _, part := range parts[1:] {
		if f := files[part]; !slices.Equal(train.keys, f.keys) {
			return nil, stats, fmt.Errorf("shd: %s: class names %q differ from those of %s, %q",
				f.stats.File, f.keys, train.stats.File, train.keys)
		}
	}
	d := &datasets.Data{Name: set, ClassNames: train.keys, Test: test.split}
	if train.noKeys {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s has no %s: the classes are named by their labels", train.stats.File, shdfile.Keys))
	}
	switch c.validation() {
	case ValidationFile:
		d.Train, d.Validation, stats.Validation = train.split, files["valid"].split, files["valid"].stats
		d.Notes = append(d.Notes, fmt.Sprintf("validation: %s, the published validation split", filepath.Base(stats.Validation.File)))
	case ValidationSpeakers:
		if train.speakers == nil {
			return nil, stats, fmt.Errorf("shd: %s has no %s, which the speaker-held-out validation split needs (Validation %q); use %q",
				train.stats.File, shdfile.Speaker, ValidationSpeakers, ValidationRandom)
		}
		val, rest, held, err := datasets.SplitOffGroups(train.speakers, c.ValidationFraction, c.Seed)
		if err != nil {
			return nil, stats, fmt.Errorf("shd: %s: speakers of %s: %w", train.stats.File, shdfile.Speaker, err)
		}
		d.Validation, d.Train = train.split.Subset("validation", val), train.split.Subset("train", rest)
		d.Notes = append(d.Notes, fmt.Sprintf("validation: %d of %d samples of %s, all those of the held-out %s; no speaker is in both splits",
			len(val), len(train.speakers), filepath.Base(train.stats.File), datasets.SpeakerList(held)))
	default:
		val, tr, err := train.split.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
		if err != nil {
			return nil, stats, err
		}
		d.Train, d.Validation = tr, val
		d.Notes = append(d.Notes, fmt.Sprintf("validation: a random %g of %s, whose speakers are also in training", c.ValidationFraction, filepath.Base(train.stats.File)))
	}
	if err := d.Validate(); err != nil {
		return nil, stats, err
	}
	return d, stats, nil
}

// fileList joins the names of the files of the given parts.
func fileList(set string, parts []string) string {
	var names []string
	for _, p := range parts {
		names = append(names, shdfile.FileName(set, p))
	}
	return strings.Join(names, ", ")
}

// binnedFile is the content of one SHD file.
type binnedFile struct {
	split    *datasets.Split
	keys     []string
	noKeys   bool     // the file has no extra/keys
	speakers []string // nil if the file has no extra/speaker
	stats    FileStats
}

// readFile reads and bins the SHD file at path into a split named name.
// Every error names the file.
func readFile(path, name string, c Config) (*binnedFile, error) {
	raw, err := readRaw(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			set := c.set()
			return nil, fmt.Errorf("shd: %s: %w; download the %s files with: go run ./cmd/download --dataset %s --dir %s", path, err, strings.ToUpper(set), set, c.Dir)
		}
		return nil, fmt.Errorf("shd: %s: %w", path, err)
	}
	f, err := binFile(raw, name, c)
	if err != nil {
		return nil, fmt.Errorf("shd: %s: %w", path, err)
	}
	f.stats.File = path
	return f, nil
}

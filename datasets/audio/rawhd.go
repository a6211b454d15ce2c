package audio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
)

// RawHDClasses is the number of RawHD classes: ten English and ten German
// digits.
const RawHDClasses = 20

// RawHDConfig describes the raw Heidelberg Digits (Cramer et al. 2020) as
// log Mel features (Zenke & Vogels 2021, section 4.1.3).
type RawHDConfig struct {
	// Dir is the directory hd_audio.tar.gz was unpacked into: it holds
	// train_filenames.txt, test_filenames.txt and the FLAC files, either
	// directly or in an audio/ subdirectory. A Dir whose hd_audio/
	// subdirectory holds these is accepted too.
	Dir string
	// Mel describes the features; Mel.Frames must be positive.
	Mel MelConfig
	// ValidationFraction of the training recordings, drawn by a shuffle
	// seeded with Seed, form the validation split. The data set has no
	// official validation split.
	ValidationFraction float64
	Seed               uint64
	// CacheDir holds the feature cache; "" means Dir/.spikegrad-cache.
	CacheDir string
	// NoCache disables the feature cache.
	NoCache bool
}

// DefaultRawHD returns the setup of Zenke & Vogels (2021) for the data in
// dir: DefaultMel features cropped or padded to 80 frames, and 10 % of the
// training recordings held out for validation with seed 1.
func DefaultRawHD(dir string) RawHDConfig {
	mc := DefaultMel()
	mc.Frames = 80
	return RawHDConfig{Dir: dir, Mel: mc, ValidationFraction: 0.1, Seed: 1}
}

// Validate reports the first field of c that is out of range, naming it.
func (c RawHDConfig) Validate() error {
	if c.Dir == "" {
		return errors.New("rawhd: Dir must be set")
	}
	if err := c.Mel.Validate(); err != nil {
		return fmt.Errorf("rawhd: Mel: %w", err)
	}
	if c.Mel.Frames < 1 {
		return fmt.Errorf("rawhd: Mel.Frames must be ≥ 1 for a fixed time grid, got %d", c.Mel.Frames)
	}
	if !(c.ValidationFraction >= 0 && c.ValidationFraction < 1) {
		return fmt.Errorf("rawhd: ValidationFraction must lie in [0, 1), got %g", c.ValidationFraction)
	}
	return nil
}

// RawHDClassNames returns the class names in label order: "english-0" …
// "english-9", "german-0" … "german-9".
func RawHDClassNames() []string {
	names := make([]string, 0, RawHDClasses)
	for _, lang := range []string{"english", "german"} {
		for d := range 10 {
			names = append(names, fmt.Sprintf("%s-%d", lang, d))
		}
	}
	return names
}

// RawHD loads the raw Heidelberg Digits as log Mel features.
//
// Labels follow the Spiking Heidelberg Digits (SHD), whose extra/keys list
// English zero … nine and then German null … neun: an English digit d has
// label d and a German digit d has label 10 + d, so a model can be compared
// across SHD and RawHD. The label is parsed from the file name,
// lang-<english|german>_speaker-<NN>_trial-<N>_digit-<D>.flac.
//
// The training and test splits follow train_filenames.txt and
// test_filenames.txt; the validation split is carved from the training
// split by datasets.Split.SplitOff. Every split has Steps = Mel.Frames and
// Units = Mel.Filters; each sample holds one Event per frame and channel,
// with Value the feature. Recordings are resampled from their rate (48 kHz
// in the published set) to Mel.SampleRate.
func RawHD(c RawHDConfig) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	root, err := rawHDRoot(c.Dir)
	if err != nil {
		return nil, err
	}
	loader, err := newMelLoader(c.Mel, cacheDirOr(c.CacheDir, c.Dir), c.NoCache)
	if err != nil {
		return nil, err
	}
	train, err := rawHDSplit(loader, root, "train", c.Mel)
	if err != nil {
		return nil, err
	}
	test, err := rawHDSplit(loader, root, "test", c.Mel)
	if err != nil {
		return nil, err
	}
	val, train, err := train.SplitOff(c.ValidationFraction, c.Seed, "validation", "train")
	if err != nil {
		return nil, err
	}
	d := &datasets.Data{Name: "rawhd", ClassNames: RawHDClassNames(), Train: train, Validation: val, Test: test}
	return d, d.Validate()
}

// rawHDRoot finds the directory holding train_filenames.txt: dir itself or
// dir/hd_audio.
func rawHDRoot(dir string) (string, error) {
	for _, root := range []string{dir, filepath.Join(dir, "hd_audio")} {
		if _, err := os.Stat(filepath.Join(root, "train_filenames.txt")); err == nil {
			return root, nil
		}
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("rawhd: %w", err)
	}
	return "", fmt.Errorf("rawhd: %s holds no train_filenames.txt; unpack hd_audio.tar.gz there (the download command or download.Fetch does)", dir)
}

// rawHDSplit loads the recordings listed in root/<name>_filenames.txt.
func rawHDSplit(l *melLoader, root, name string, mc MelConfig) (*datasets.Split, error) {
	list := filepath.Join(root, name+"_filenames.txt")
	names, err := readNameList(list)
	if err != nil {
		return nil, fmt.Errorf("rawhd: %w", err)
	}
	audioDir := root
	if fi, err := os.Stat(filepath.Join(root, "audio")); err == nil && fi.IsDir() {
		audioDir = filepath.Join(root, "audio")
	}
	items := make([]item, len(names))
	for i, n := range names {
		if items[i], err = rawHDItem(audioDir, n, list); err != nil {
			return nil, err
		}
	}
	samples, err := l.samples(items)
	if err != nil {
		return nil, fmt.Errorf("rawhd: %w", err)
	}
	return &datasets.Split{Name: name, Steps: mc.Frames, Units: mc.Filters, Classes: RawHDClasses, Samples: samples}, nil
}

// rawHDItem checks that a listed recording exists and has a valid name.
func rawHDItem(audioDir, name, list string) (item, error) {
	label, err := ParseRawHDName(name)
	if err != nil {
		return item{}, fmt.Errorf("rawhd: %s: %w", list, err)
	}
	path := filepath.Join(audioDir, name)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return item{}, fmt.Errorf("rawhd: %s lists %s, which is missing from %s", list, name, audioDir)
		}
		return item{}, fmt.Errorf("rawhd: %w", err)
	}
	return item{path: path, label: label}, nil
}

// ParseRawHDName returns the label of a Heidelberg Digits file named
// lang-<english|german>_speaker-<NN>_trial-<N>_digit-<D>.flac: D for English
// and 10 + D for German, the label order of SHD. Speaker and trial must be
// non-negative decimal numbers and D a single digit; anything else is an
// error naming the file.
func ParseRawHDName(name string) (int, error) {
	base, ok := strings.CutSuffix(name, ".flac")
	fields := strings.Split(base, "_")
	if !ok || len(fields) != 4 {
		return 0, fmt.Errorf("file name %q does not match lang-<language>_speaker-<n>_trial-<n>_digit-<d>.flac", name)
	}
	var vals [4]string
	for i, key := range []string{"lang", "speaker", "trial", "digit"} {
		v, ok := strings.CutPrefix(fields[i], key+"-")
		if !ok || v == "" {
			return 0, fmt.Errorf("file name %q: field %d should be %s-<value>, got %q", name, i+1, key, fields[i])
		}
		vals[i] = v
	}
	for _, v := range vals[1:3] {
		if !isDecimal(v) {
			return 0, fmt.Errorf("file name %q: speaker and trial must be numbers, got %q", name, v)
		}
	}
	if len(vals[3]) != 1 || !isDecimal(vals[3]) {
		return 0, fmt.Errorf("file name %q: digit must be 0–9, got %q", name, vals[3])
	}
	digit, _ := strconv.Atoi(vals[3])
	switch vals[0] {
	case "english":
		return digit, nil
	case "german":
		return 10 + digit, nil
	}
	return 0, fmt.Errorf("file name %q: language must be english or german, got %q", name, vals[0])
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

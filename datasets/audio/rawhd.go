package audio

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/mel"
)

// RawHDClasses is the number of RawHD classes: ten English and ten German
// digits.
const RawHDClasses = 20

// RawHDConfig describes the raw Heidelberg Digits (Cramer et al. 2020) as
// log Mel features (see mel.Config for what comes from Zenke & Vogels 2021
// and what is spikegrad's choice).
type RawHDConfig struct {
	// Dir is the folder hd_audio.tar.gz was unpacked into: it holds
	// train_filenames.txt, test_filenames.txt and the FLAC files, either
	// directly or in an audio/ subfolder. A Dir with exactly one
	// subfolder (such as hd_audio/) that holds these is accepted too.
	Dir string
	// Mel describes the features; Mel.Frames must be positive.
	Mel mel.Config
	// ValidationFraction of the training recordings, drawn with Seed,
	// form the validation split; the data set has no official one.
	// Validation says how they are drawn: "random" (also when empty) by
	// a shuffle of the recordings, "speakers" as all the recordings of
	// whole speakers, so that no speaker is in both splits (the speaker
	// is part of the file name).
	Validation         string
	ValidationFraction float64
	Seed               uint64
	LoadOptions
}

// DefaultRawHD returns the setup for the data in dir: mel.Default features
// cropped or padded to the 80 frames of Zenke & Vogels (2021), and 10 % of
// the training recordings held out for validation with seed 1 (the data
// set has no validation split; the paper does not say how it chose one).
func DefaultRawHD(dir string) RawHDConfig {
	mc := mel.Default()
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
	if c.Validation != "" && c.Validation != "random" && c.Validation != "speakers" {
		return fmt.Errorf("rawhd: Validation must be \"random\" or \"speakers\", got %q", c.Validation)
	}
	return c.LoadOptions.validate("rawhd")
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
// test_filenames.txt, whose entries are matched by their base name (an
// entry audio/x.flac names the recording x.flac); the
// validation split is carved from the training list with
// datasets.SplitOffIndices. Every split has Steps = Mel.Frames and Units =
// Mel.Filters; each sample holds its features densely (datasets.Dense).
// Recordings are resampled from their rate (48 kHz in the published set)
// to Mel.SampleRate.
//
// Every recording that cannot be used is reported at once, in a
// *BadFilesError, unless SkipBadFiles is set; see LoadOptions for that,
// the cache and Limit. The returned data's Warnings name the recordings
// sampled below the feature band and classes without training samples.
func RawHD(c RawHDConfig) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	root, err := rawHDRoot(c.Dir)
	if err != nil {
		return nil, err
	}
	loader, err := newMelLoader("rawhd", root, c.Mel, c.LoadOptions)
	if err != nil {
		return nil, err
	}
	var lists [2][]item
	for i, name := range []string{"train", "test"} {
		if lists[i], err = rawHDItems(root, name); err != nil {
			return nil, err
		}
	}
	d := &datasets.Data{Name: "rawhd", ClassNames: RawHDClassNames()}
	valIdx, trainIdx, err := datasets.SplitOffIndices(len(lists[0]), c.ValidationFraction, c.Seed)
	if err == nil && c.Validation != "speakers" {
		d.Notes = append(d.Notes, fmt.Sprintf("validation: a random %g of the %d training recordings, whose speakers are also in training",
			c.ValidationFraction, len(lists[0])))
	}
	if c.Validation == "speakers" {
		speakers := make([]string, len(lists[0]))
		for i, it := range lists[0] {
			_, speakers[i], _ = parseRawHDName(path.Base(it.path))
		}
		var held []string
		valIdx, trainIdx, held, err = datasets.SplitOffGroups(speakers, c.ValidationFraction, c.Seed)
		if err == nil {
			d.Notes = append(d.Notes, fmt.Sprintf("validation: the %d training recordings of %s; no speaker is in both splits",
				len(valIdx), datasets.SpeakerList(held)))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("rawhd: validation split: %w", err)
	}
	pick := func(idx []int) []item {
		out := make([]item, len(idx))
		for j, i := range idx {
			out[j] = lists[0][i]
		}
		return out
	}
	for i, sp := range []struct {
		dst   **datasets.Split
		name  string
		items []item
	}{{&d.Train, "train", pick(trainIdx)}, {&d.Validation, "validation", pick(valIdx)}, {&d.Test, "test", lists[1]}} {
		samples := loader.load(loader.limit(sp.items, uint64(i)))
		*sp.dst = &datasets.Split{Name: sp.name, Steps: c.Mel.Frames, Units: c.Mel.Filters, Classes: RawHDClasses, Samples: samples}
	}
	if err := loader.finish(d); err != nil {
		return nil, err
	}
	if w := emptyClassWarning(d.Train, d.ClassNames); w != "" {
		d.Warnings = append(d.Warnings, w)
	}
	return d, d.Validate()
}

// rawHDRoot finds the folder holding train_filenames.txt: dir itself, or
// its only subfolder that holds one (such as hd_audio/).
func rawHDRoot(dir string) (string, error) {
	root, err := findRoot(dir, "train_filenames.txt")
	if err != nil {
		return "", fmt.Errorf("rawhd: %w", err)
	}
	if root == "" {
		return "", fmt.Errorf("rawhd: %s holds no train_filenames.txt; download and unpack the raw Heidelberg Digits there with: go run ./cmd/download --dataset rawhd --dir %s", dir, dir)
	}
	return root, nil
}

// findRoot returns dir if it holds the file marker, or else its only
// non-hidden subfolder that does, or "" if there is none. Two candidate
// subfolders are an error naming them.
func findRoot(dir, marker string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
		return dir, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && isDir(filepath.Join(dir, e.Name())) {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), marker)); err == nil {
				found = append(found, e.Name())
			}
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return filepath.Join(dir, found[0]), nil
	}
	return "", fmt.Errorf("%s holds no %s but %d subfolders do (%s); pass one of them", dir, marker, len(found), strings.Join(found, ", "))
}

// rawHDItems lists the recordings of root/<split>_filenames.txt, matched by
// base name in root/audio (or root). Entries with a malformed name or
// without a file are items with a problem.
func rawHDItems(root, split string) ([]item, error) {
	listName := split + "_filenames.txt"
	names, err := readNameList(filepath.Join(root, listName))
	if err != nil {
		return nil, fmt.Errorf("rawhd: %w", err)
	}
	audioDir := root
	if isDir(filepath.Join(root, "audio")) {
		audioDir = filepath.Join(root, "audio")
	}
	items := make([]item, len(names))
	for i, n := range names {
		base := path.Base(filepath.ToSlash(n))
		p := filepath.Join(audioDir, base)
		it := item{path: p, name: relName(root, p)}
		if it.label, err = ParseRawHDName(base); err != nil {
			it.name, it.problem = n, fmt.Sprintf("%v (%s)", err, listName)
		} else if _, err := os.Stat(p); err != nil {
			it.problem = missing(err, listName)
		}
		items[i] = it
	}
	return items, nil
}

// ParseRawHDName returns the label of a Heidelberg Digits file named
// lang-<english|german>_speaker-<NN>_trial-<N>_digit-<D>.flac: D for English
// and 10 + D for German, the label order of SHD. Speaker and trial must be
// non-negative decimal numbers and D a single digit; anything else is an
// error naming the file.
func ParseRawHDName(name string) (int, error) {
	label, _, err := parseRawHDName(name)
	return label, err
}

// parseRawHDName is ParseRawHDName that also returns the speaker, as
// written in the name.
func parseRawHDName(name string) (label int, speaker string, err error) {
	base, ok := strings.CutSuffix(name, ".flac")
	fields := strings.Split(base, "_")
	if !ok || len(fields) != 4 {
		return 0, "", fmt.Errorf("file name %q does not match lang-<language>_speaker-<n>_trial-<n>_digit-<d>.flac", name)
	}
	var vals [4]string
	for i, key := range []string{"lang", "speaker", "trial", "digit"} {
		v, ok := strings.CutPrefix(fields[i], key+"-")
		if !ok || v == "" {
			return 0, "", fmt.Errorf("file name %q: field %d should be %s-<value>, got %q", name, i+1, key, fields[i])
		}
		vals[i] = v
	}
	for _, v := range vals[1:3] {
		if !isDecimal(v) {
			return 0, "", fmt.Errorf("file name %q: speaker and trial must be numbers, got %q", name, v)
		}
	}
	if len(vals[3]) != 1 || !isDecimal(vals[3]) {
		return 0, "", fmt.Errorf("file name %q: digit must be 0–9, got %q", name, vals[3])
	}
	digit, _ := strconv.Atoi(vals[3])
	switch vals[0] {
	case "english":
		return digit, vals[1], nil
	case "german":
		return 10 + digit, vals[1], nil
	}
	return 0, "", fmt.Errorf("file name %q: language must be english or german, got %q", name, vals[0])
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

package audio

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/mel"
)

// RawSCConfig describes Pete Warden's Speech Commands v0.02 (Warden 2018) as
// log Mel features (see mel.Config for what comes from Zenke & Vogels 2021
// and what is spikegrad's choice).
type RawSCConfig struct {
	// Dir is the folder speech_commands_v0.02.tar.gz was unpacked into:
	// one subfolder of 16 kHz WAV files per word, plus
	// validation_list.txt and testing_list.txt. A Dir with exactly one
	// subfolder that holds these is accepted too.
	Dir string
	// Mel describes the features; Mel.Frames must be positive.
	Mel mel.Config
	LoadOptions
}

// DefaultRawSC returns the setup for the data in dir: mel.Default features
// cropped or padded to the 100 frames of Zenke & Vogels (2021).
func DefaultRawSC(dir string) RawSCConfig {
	mc := mel.Default()
	mc.Frames = 100
	return RawSCConfig{Dir: dir, Mel: mc}
}

// Validate reports the first field of c that is out of range, naming it.
func (c RawSCConfig) Validate() error {
	if c.Dir == "" {
		return errors.New("rawsc: Dir must be set")
	}
	if err := c.Mel.Validate(); err != nil {
		return fmt.Errorf("rawsc: Mel: %w", err)
	}
	if c.Mel.Frames < 1 {
		return fmt.Errorf("rawsc: Mel.Frames must be ≥ 1 for a fixed time grid, got %d", c.Mel.Frames)
	}
	return c.LoadOptions.validate("rawsc")
}

// RawSC loads the Speech Commands as log Mel features.
//
// The classes are the word folders of Dir that hold WAV files, in
// alphabetical order, so the label of a word is its index in
// datasets.Data.ClassNames; the full v0.02 release has 35 words, from
// "backward" (0) to "zero" (34). Folders whose names start with "_" or
// "." are not words: this excludes _background_noise_, whose long noise
// recordings the release provides for augmentation, and the feature
// cache. A word folder without WAV files is not a class either, and a
// warning says so.
//
// The files listed (as word/file.wav, matched by those last two parts of
// the entry) in validation_list.txt and testing_list.txt form the
// validation and test splits; all other WAV files form the training split,
// which is the release's own partition by speaker. Entries naming words
// that are not here are passed over with a warning that counts them, so a
// folder holding some of the words keeps the official partition of those.
// Every split has Steps = Mel.Frames and Units = Mel.Filters; each sample
// holds its features densely (datasets.Dense).
//
// Every recording that cannot be used is reported at once, in a
// *BadFilesError, unless SkipBadFiles is set; see LoadOptions for that,
// the cache and Limit.
func RawSC(c RawSCConfig) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	root, err := rawSCRoot(c.Dir)
	if err != nil {
		return nil, err
	}
	words, empty, err := rawSCWords(root)
	if err != nil {
		return nil, err
	}
	parts, warnings, err := rawSCPartition(root, words)
	if err != nil {
		return nil, err
	}
	loader, err := newMelLoader("rawsc", root, c.Mel, c.LoadOptions)
	if err != nil {
		return nil, err
	}
	d := &datasets.Data{Name: "rawsc", ClassNames: words}
	if len(empty) > 0 {
		d.Warnings = append(d.Warnings, fmt.Sprintf("word folders without WAV files are not classes: %s", strings.Join(empty, ", ")))
	}
	d.Warnings = append(d.Warnings, warnings...)
	for i, dst := range []**datasets.Split{&d.Train, &d.Validation, &d.Test} {
		samples := loader.load(loader.limit(parts[i], uint64(i)))
		*dst = &datasets.Split{Name: rawSCSplitNames[i], Steps: c.Mel.Frames, Units: c.Mel.Filters, Classes: len(words), Samples: samples}
	}
	if err := loader.finish(d); err != nil {
		return nil, err
	}
	if w := emptyClassWarning(d.Train, d.ClassNames); w != "" {
		d.Warnings = append(d.Warnings, w)
	}
	return d, d.Validate()
}

var rawSCSplitNames = [3]string{"train", "validation", "test"}

// rawSCRoot finds the folder holding testing_list.txt: dir itself, or its
// only subfolder that holds one.
func rawSCRoot(dir string) (string, error) {
	root, err := findRoot(dir, "testing_list.txt")
	if err != nil {
		return "", fmt.Errorf("rawsc: %w", err)
	}
	if root == "" {
		return "", fmt.Errorf("rawsc: %s holds no testing_list.txt; download and unpack Speech Commands v0.02 there with: go run ./cmd/download --dataset rawsc --dir %s", dir, dir)
	}
	return root, nil
}

// rawSCWords lists the word folders of dir that hold WAV files, sorted,
// and those that hold none.
func rawSCWords(dir string) (words, empty []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("rawsc: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") || !isDir(filepath.Join(dir, e.Name())) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, nil, fmt.Errorf("rawsc: %w", err)
		}
		if slices.ContainsFunc(files, isWAV) {
			words = append(words, e.Name())
		} else {
			empty = append(empty, e.Name())
		}
	}
	if len(words) == 0 {
		return nil, nil, fmt.Errorf("rawsc: %s holds no word folders with WAV files; download and unpack Speech Commands v0.02 there with: go run ./cmd/download --dataset rawsc --dir %s", dir, dir)
	}
	slices.Sort(words)
	slices.Sort(empty)
	return words, empty, nil
}

func isWAV(e os.DirEntry) bool {
	return !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".wav")
}

// rawSCPartition sorts every WAV file of the word folders into the
// training, validation and test items, in that order, and adds the listed
// files that are missing as items with a problem.
func rawSCPartition(dir string, words []string) ([3][]item, []string, error) {
	var parts [3][]item
	var warnings []string
	held := [2]map[string]bool{}
	for i, name := range []string{"validation_list.txt", "testing_list.txt"} {
		list, w, err := rawSCList(dir, name, words)
		if err != nil {
			return parts, nil, err
		}
		held[i] = list
		if w != "" {
			warnings = append(warnings, w)
		}
	}
	for label, w := range words {
		entries, err := os.ReadDir(filepath.Join(dir, w))
		if err != nil {
			return parts, nil, fmt.Errorf("rawsc: %w", err)
		}
		for _, e := range entries {
			if !isWAV(e) {
				continue
			}
			rel := w + "/" + e.Name()
			part := 0
			if held[0][rel] {
				part = 1
			} else if held[1][rel] {
				part = 2
			}
			parts[part] = append(parts[part], item{path: filepath.Join(dir, w, e.Name()), name: rel, label: label})
		}
	}
	// Listed files that do not exist.
	for i, name := range []string{"validation_list.txt", "testing_list.txt"} {
		for _, rel := range slices.Sorted(maps.Keys(held[i])) {
			w, file, _ := strings.Cut(rel, "/")
			p := filepath.Join(dir, w, file)
			if _, err := os.Stat(p); err != nil {
				label, _ := slices.BinarySearch(words, w)
				parts[i+1] = append(parts[i+1], item{path: p, name: rel, label: label, problem: missing(err, name)})
			}
		}
	}
	for i, p := range parts {
		if len(p) == 0 {
			return parts, nil, fmt.Errorf("rawsc: %s: the %s split is empty", dir, rawSCSplitNames[i])
		}
	}
	return parts, warnings, nil
}

// rawSCList reads a held-out list: the set of its word/file.wav entries
// whose word is one of words, and a warning counting the entries of other
// words, or "".
func rawSCList(dir, name string, words []string) (map[string]bool, string, error) {
	list := filepath.Join(dir, name)
	names, err := readNameList(list)
	if err != nil {
		return nil, "", fmt.Errorf("rawsc: %w", err)
	}
	set := make(map[string]bool, len(names))
	others := map[string]int{}
	for _, n := range names {
		parts := strings.Split(path.Clean(filepath.ToSlash(n)), "/")
		if len(parts) < 2 || !strings.EqualFold(path.Ext(parts[len(parts)-1]), ".wav") {
			return nil, "", fmt.Errorf("rawsc: %s: entry %q is not of the form word/file.wav", list, n)
		}
		w, file := parts[len(parts)-2], parts[len(parts)-1]
		if _, found := slices.BinarySearch(words, w); !found {
			others[w]++
			continue
		}
		set[w+"/"+file] = true
	}
	if len(others) == 0 {
		return set, "", nil
	}
	n := 0
	for _, c := range others {
		n += c
	}
	absent := slices.Sorted(maps.Keys(others))
	if len(absent) > 8 {
		absent = append(absent[:8], fmt.Sprintf("and %d more", len(others)-8))
	}
	return set, fmt.Sprintf("%s: %d of %d entries name words that are not here (%s) and are passed over; the listed files of the %d words here form the split",
		name, n, len(names), strings.Join(absent, ", "), len(words)), nil
}

package audio

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/datasets"
)

// RawSCConfig describes Pete Warden's Speech Commands v0.02 (Warden 2018) as
// log Mel features (Zenke & Vogels 2021, section 4.1.3).
type RawSCConfig struct {
	// Dir is the directory speech_commands_v0.02.tar.gz was unpacked into:
	// one subdirectory of 16 kHz WAV files per word, plus
	// validation_list.txt and testing_list.txt.
	Dir string
	// Mel describes the features; Mel.Frames must be positive.
	Mel MelConfig
	// CacheDir holds the feature cache; "" means Dir/.spikegrad-cache.
	CacheDir string
	// NoCache disables the feature cache.
	NoCache bool
}

// DefaultRawSC returns the setup of Zenke & Vogels (2021) for the data in
// dir: DefaultMel features cropped or padded to 100 frames.
func DefaultRawSC(dir string) RawSCConfig {
	mc := DefaultMel()
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
	return nil
}

// RawSC loads the Speech Commands as log Mel features.
//
// The classes are the word directories of Dir in alphabetical order, so the
// label of a word is its index in datasets.Data.ClassNames; the full v0.02 release has
// 35 words, from "backward" (0) to "zero" (34). Directories whose names
// start with "_" or "." are not words: this excludes _background_noise_,
// whose long noise recordings the release provides for augmentation, and
// the feature cache.
//
// The files listed (as word/file.wav) in validation_list.txt and
// testing_list.txt form the validation and test splits; all other WAV files
// form the training split, which is the release's own partition by speaker.
// Every split has Steps = Mel.Frames and Units = Mel.Filters.
func RawSC(c RawSCConfig) (*datasets.Data, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	words, err := rawSCWords(c.Dir)
	if err != nil {
		return nil, err
	}
	parts, err := rawSCPartition(c.Dir, words)
	if err != nil {
		return nil, err
	}
	loader, err := newMelLoader(c.Mel, cacheDirOr(c.CacheDir, c.Dir), c.NoCache)
	if err != nil {
		return nil, err
	}
	d := &datasets.Data{Name: "rawsc", ClassNames: words}
	for i, dst := range []**datasets.Split{&d.Train, &d.Validation, &d.Test} {
		samples, err := loader.samples(parts[i])
		if err != nil {
			return nil, fmt.Errorf("rawsc: %w", err)
		}
		*dst = &datasets.Split{Name: rawSCSplitNames[i], Steps: c.Mel.Frames, Units: c.Mel.Filters, Classes: len(words), Samples: samples}
	}
	return d, d.Validate()
}

var rawSCSplitNames = [3]string{"train", "validation", "test"}

// rawSCWords lists the word directories of dir, sorted.
func rawSCWords(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("rawsc: %w", err)
	}
	var words []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "_") && !strings.HasPrefix(e.Name(), ".") {
			words = append(words, e.Name())
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("rawsc: %s holds no word directories; unpack speech_commands_v0.02.tar.gz there (the download command or download.Fetch does)", dir)
	}
	slices.Sort(words)
	return words, nil
}

// rawSCPartition sorts every WAV file of the word directories into the
// training, validation and test items, in that order.
func rawSCPartition(dir string, words []string) ([3][]item, error) {
	var parts [3][]item
	held := [2]map[string]bool{}
	for i, name := range []string{"validation_list.txt", "testing_list.txt"} {
		var err error
		if held[i], err = rawSCList(dir, name, words); err != nil {
			return parts, err
		}
	}
	for label, w := range words {
		entries, err := os.ReadDir(filepath.Join(dir, w))
		if err != nil {
			return parts, fmt.Errorf("rawsc: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".wav") {
				continue
			}
			rel := w + "/" + e.Name()
			part := 0
			if held[0][rel] {
				part = 1
			} else if held[1][rel] {
				part = 2
			}
			parts[part] = append(parts[part], item{path: filepath.Join(dir, w, e.Name()), label: label})
		}
	}
	for i, p := range parts {
		if len(p) == 0 {
			return parts, fmt.Errorf("rawsc: %s: the %s split is empty", dir, rawSCSplitNames[i])
		}
	}
	return parts, nil
}

// rawSCList reads a held-out list and checks that every entry names an
// existing WAV file of a known word.
func rawSCList(dir, name string, words []string) (map[string]bool, error) {
	list := filepath.Join(dir, name)
	names, err := readNameList(list)
	if err != nil {
		return nil, fmt.Errorf("rawsc: %w", err)
	}
	set := make(map[string]bool, len(names))
	for _, n := range names {
		n = path.Clean(filepath.ToSlash(n))
		w, file, ok := strings.Cut(n, "/")
		if !ok || strings.Contains(file, "/") || !strings.HasSuffix(file, ".wav") {
			return nil, fmt.Errorf("rawsc: %s: entry %q is not of the form word/file.wav", list, n)
		}
		if _, found := slices.BinarySearch(words, w); !found {
			return nil, fmt.Errorf("rawsc: %s: entry %q names no word directory of %s", list, n, dir)
		}
		if _, err := os.Stat(filepath.Join(dir, w, file)); err != nil {
			return nil, fmt.Errorf("rawsc: %s lists %s, which is missing: %w", list, n, err)
		}
		set[n] = true
	}
	return set, nil
}

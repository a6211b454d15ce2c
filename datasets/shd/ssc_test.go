package shd

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/internal/shdfile"
)

// testFile describes a file in the published layout whose sample i has
// one spike, on channel id[i] at time 0, so that a loaded sample tells
// which one it is.
type testFile struct {
	ids      []int
	labels   []uint16
	speakers []string // stored as strings, or as integers if numeric is set
	numeric  bool
	keys     []string
	omit     string // a data set to leave out
}

// write writes f at path with shdfile.Layout, the layout of the published
// files.
func (f testFile) write(t *testing.T, path string) {
	t.Helper()
	c := shdfile.Content{Labels: f.labels, Keys: f.keys}
	for _, id := range f.ids {
		c.Times = append(c.Times, shdfile.HalfTimes([]float32{0}))
		c.Units = append(c.Units, shdfile.UnitBytes([]uint16{uint16(id)}))
	}
	if f.numeric {
		for _, s := range f.speakers {
			var n uint16
			fmt.Sscan(s, &n)
			c.Speakers = append(c.Speakers, n)
		}
	} else {
		c.SpeakerNames = f.speakers
	}
	var sets []shdfile.Set
	for _, s := range shdfile.Layout(c) {
		if s.Path != "/"+f.omit && s.Dims[0] > 0 { // no meta_info, and no keys if f.keys is nil
			sets = append(sets, s)
		}
	}
	if err := shdfile.Write(path, shdfile.Groups, sets, hdf5.WithSuperblockVersion(hdf5.SuperblockV0)); err != nil {
		t.Fatal(err)
	}
}

// testWords are 35 class names, as in SSC.
func testWords() []string {
	var w []string
	for i := range 35 {
		w = append(w, fmt.Sprintf("word%02d", i))
	}
	return w
}

// testFileOf returns a file of n samples with ids from first on, labels
// cycling through classes and speakers cycling through the given ones.
func testFileOf(first, n, classes int, speakers []string, keys []string) testFile {
	f := testFile{keys: keys}
	for i := range n {
		f.ids = append(f.ids, first+i)
		f.labels = append(f.labels, uint16(i%classes))
		f.speakers = append(f.speakers, speakers[i%len(speakers)])
	}
	return f
}

// testIDs returns the ids of the samples of s.
func testIDs(t *testing.T, s *datasets.Split) []int {
	t.Helper()
	var ids []int
	for _, smp := range s.Samples {
		if len(smp.Events) != 1 {
			t.Fatalf("split %s: sample with %d events, want 1", s.Name, len(smp.Events))
		}
		ids = append(ids, int(smp.Events[0].Unit))
	}
	return ids
}

func TestSSCInItsPublishedLayout(t *testing.T) {
	dir := t.TempDir()
	hashes := []string{"0a7c2a8d", "0b09edd3", "0c5027de", "0d53e045", "0d90d8e1"}
	testFileOf(0, 70, 35, hashes, testWords()).write(t, filepath.Join(dir, "ssc_train.h5"))
	testFileOf(100, 35, 35, []string{"1a673010"}, testWords()).write(t, filepath.Join(dir, "ssc_valid.h5"))
	testFileOf(200, 40, 35, []string{"1b4c9b89", "1c1060b1"}, testWords()).write(t, filepath.Join(dir, "ssc_test.h5"))
	c := DefaultSSC()
	c.Dir = dir
	d, stats, err := LoadWithStats(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "ssc" || d.Train.Len() != 70 || d.Validation.Len() != 35 || d.Test.Len() != 40 || d.Train.Classes != 35 || d.Train.Steps != 250 {
		t.Fatalf("%s: %d/%d/%d samples, %d classes, %d steps; want ssc, 70/35/40, 35, 250",
			d.Name, d.Train.Len(), d.Validation.Len(), d.Test.Len(), d.Train.Classes, d.Train.Steps)
	}
	if got := testIDs(t, d.Validation); got[0] != 100 || got[34] != 134 {
		t.Errorf("validation split holds samples %v, want those of ssc_valid.h5", got)
	}
	if !slices.Equal(d.ClassNames, testWords()) || stats.Validation.Samples != 35 || !strings.Contains(d.Notes[0], "ssc_valid.h5") {
		t.Errorf("class names %v, validation stats %+v, notes %q", d.ClassNames, stats.Validation, d.Notes)
	}
	// Speakers stored as hash strings serve a speaker-held-out split too.
	c.Validation, c.ValidationFraction = ValidationSpeakers, 0.2
	d, err = Load(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Validation.Len() != 14 || d.Train.Len() != 56 {
		t.Errorf("speaker-held-out split %d/%d, want one of five speakers: 14/56", d.Validation.Len(), d.Train.Len())
	}
	// The hint of a missing file names the download command.
	c = DefaultSSC()
	c.Dir = t.TempDir()
	if _, err := Load(c); err == nil || !strings.Contains(err.Error(), "go run ./cmd/download --dataset ssc --dir "+c.Dir) || !strings.Contains(err.Error(), "ssc_train.h5") {
		t.Errorf("missing files: got %v", err)
	}
}

func TestSpeakerHeldOutValidation(t *testing.T) {
	speakers := []string{"0", "1", "2", "3", "4", "5", "6", "7"}
	for _, numeric := range []bool{true, false} {
		dir := t.TempDir()
		train := testFileOf(0, 400, 20, speakers, nil) // without extra/keys
		train.numeric = numeric
		train.write(t, filepath.Join(dir, shdfile.TrainFile))
		testFileOf(500, 40, 20, []string{"10", "11"}, nil).write(t, filepath.Join(dir, shdfile.TestFile))
		speakerOf := func(id int) string { return speakers[id%len(speakers)] }
		for seed := uint64(1); seed <= 5; seed++ {
			c := Default()
			c.Dir, c.Validation, c.ValidationFraction, c.Seed = dir, ValidationSpeakers, 0.25, seed
			d, err := Load(c)
			if err != nil {
				t.Fatal(err)
			}
			held := map[string]bool{}
			for _, id := range testIDs(t, d.Validation) {
				held[speakerOf(id)] = true
			}
			for _, id := range testIDs(t, d.Train) {
				if held[speakerOf(id)] {
					t.Fatalf("seed %d: speaker %s is in both splits", seed, speakerOf(id))
				}
			}
			if len(held) != 2 || d.Validation.Len() != 100 || d.Train.Len() != 300 {
				t.Errorf("seed %d: %d speakers, %d/%d samples held out; want 2 of 8 speakers, 100 of 400", seed, len(held), d.Validation.Len(), d.Train.Len()+d.Validation.Len())
			}
			if !regexp.MustCompile(`all those of the held-out speakers [0-7] and [0-7];`).MatchString(strings.Join(d.Notes, " ")) {
				t.Errorf("notes %q do not name the held-out speakers", d.Notes)
			}
			if d.ClassNames[3] != "3" || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "extra/keys") {
				t.Errorf("without extra/keys: class names %v, warnings %q", d.ClassNames, d.Warnings)
			}
		}
	}
	// Without extra/speaker, or with one speaker, there is no such split.
	for name, f := range map[string]testFile{
		"no extra/speaker": func() testFile { f := testFileOf(0, 40, 20, speakers, nil); f.omit = shdfile.Speaker; return f }(),
		"one speaker":      testFileOf(0, 40, 20, []string{"3"}, nil),
	} {
		dir := t.TempDir()
		f.write(t, filepath.Join(dir, shdfile.TrainFile))
		testFileOf(500, 40, 20, []string{"10"}, nil).write(t, filepath.Join(dir, shdfile.TestFile))
		c := Default()
		c.Dir, c.Validation = dir, ValidationSpeakers
		if _, err := Load(c); err == nil || !strings.Contains(err.Error(), shdfile.Speaker) || !strings.Contains(err.Error(), shdfile.TrainFile) {
			t.Errorf("%s: got %v, want an error naming the file and %s", name, err, shdfile.Speaker)
		}
	}
}

func TestValidationSourceChecked(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Validation = ValidationFile }, "only SSC"},
		{func(c *Config) { c.Validation = "test" }, "Validation must be"},
		{func(c *Config) { c.Set = "nmnist" }, "Set must be"},
	} {
		c := Default()
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	if err := DefaultSSC().Validate(); err != nil {
		t.Error(err)
	}
}

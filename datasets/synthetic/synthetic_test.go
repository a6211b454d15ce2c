package synthetic

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/shd"
)

// testLabelCounts counts the labels of the samples of splits.
func testLabelCounts(classes int, splits ...*datasets.Split) []int {
	counts := make([]int, classes)
	for _, s := range splits {
		for _, smp := range s.Samples {
			counts[smp.Label]++
		}
	}
	return counts
}

// testAllEqual reports whether every count is n.
func testAllEqual(counts []int, n int) bool {
	return !slices.ContainsFunc(counts, func(c int) bool { return c != n })
}

// testFeatures returns sample i of s as [Steps][Units] features.
func testFeatures(s *datasets.Split, i int) [][]float64 {
	raster := make([]float64, s.Steps*s.Units)
	s.Raster(i, raster)
	feats := make([][]float64, s.Steps)
	for t := range feats {
		feats[t] = raster[t*s.Units : (t+1)*s.Units]
	}
	return feats
}

// testPeakChannel returns the channel of the largest feature.
func testPeakChannel(feats [][]float64) int {
	best, arg := feats[0][0], 0
	for _, row := range feats {
		for k, v := range row {
			if v > best {
				best, arg = v, k
			}
		}
	}
	return arg
}

// testSameFiles fails unless dirs a and b hold the same files with the
// same contents, ignoring the feature cache.
func testSameFiles(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, audio.CacheDirName) {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between the two writes (%v)", rel, err)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

func TestWriteSSC(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSSC(dir, 70, 35, 35, 3); err != nil {
		t.Fatal(err)
	}
	c := shd.DefaultSSC()
	c.Dir = dir
	d, err := shd.Load(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 70 || d.Validation.Len() != 35 || d.Test.Len() != 35 || d.Train.Classes != 35 || d.ClassNames[34] != "zero" {
		t.Fatalf("splits %d/%d/%d, %d classes %v", d.Train.Len(), d.Validation.Len(), d.Test.Len(), d.Train.Classes, d.ClassNames)
	}
	// Every sample fires most in its class's band of 20 channels.
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		for i, smp := range s.Samples {
			bands := make([]float32, 35)
			for _, e := range smp.Events {
				bands[min(e.Unit/20, 34)] += e.Value
			}
			if got := slices.Index(bands, slices.Max(bands)); got != smp.Label {
				t.Errorf("%s sample %d of class %d fires most in band %d", s.Name, i, smp.Label, got)
			}
		}
	}
	// The speakers are there for a speaker-held-out split.
	c.Validation = shd.ValidationSpeakers
	if d, err = shd.Load(c); err != nil || d.Validation.Len() == 0 {
		t.Errorf("speaker-held-out split: %v", err)
	}
}

func TestWriteSHD(t *testing.T) {
	dir := t.TempDir()
	if err := WriteSHD(dir, 60, 20, 7); err != nil {
		t.Fatal(err)
	}
	c := shd.Default()
	c.Dir = dir
	d, stats, err := shd.LoadWithStats(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 54 || d.Validation.Len() != 6 || d.Test.Len() != 20 {
		t.Fatalf("splits hold %d/%d/%d samples, want 54/6/20", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	if !slices.Equal(d.ClassNames, audio.RawHDClassNames()) || d.Train.Units != 700 || d.Train.Classes != 20 {
		t.Errorf("classes %q, %d units, %d classes", d.ClassNames, d.Train.Units, d.Train.Classes)
	}
	if stats.Train.Dropped+stats.Test.Dropped != 0 || stats.Train.EmptySamples+stats.Test.EmptySamples != 0 || stats.Test.TimeBytes != 2 {
		t.Errorf("stats %+v", stats)
	}
	if counts := testLabelCounts(20, d.Train, d.Validation); !testAllEqual(counts, 3) {
		t.Errorf("training file label counts %v, want 3 of each", counts)
	}
	if counts := testLabelCounts(20, d.Test); !testAllEqual(counts, 1) {
		t.Errorf("test file label counts %v, want 1 of each", counts)
	}
	// Every sample fires most in its class's band of 35 channels.
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		for i, smp := range s.Samples {
			bands := make([]float32, 20)
			for _, e := range smp.Events {
				bands[e.Unit/35] += e.Value
			}
			if got := slices.Index(bands, slices.Max(bands)); got != smp.Label {
				t.Errorf("%s sample %d of class %d fires most in band %d: %v", s.Name, i, smp.Label, got, bands)
			}
		}
	}
	// The coarse grid of the command-line test keeps every spike.
	c.Steps, c.DT = 40, 20
	if _, stats, err := shd.LoadWithStats(c); err != nil || stats.Train.Dropped != 0 {
		t.Errorf("40 steps of 20 ms: %v, %+v", err, stats.Train)
	}
	// Writing again gives the same files.
	again := t.TempDir()
	if err := WriteSHD(again, 60, 20, 7); err != nil {
		t.Fatal(err)
	}
	testSameFiles(t, dir, again)
}

func TestWriteRawHD(t *testing.T) {
	dir := t.TempDir()
	if err := WriteRawHD(dir, 40, 20, 3); err != nil {
		t.Fatal(err)
	}
	d, err := audio.RawHD(audio.DefaultRawHD(dir))
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 36 || d.Validation.Len() != 4 || d.Test.Len() != 20 {
		t.Fatalf("splits hold %d/%d/%d samples, want 36/4/20", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	if counts := testLabelCounts(20, d.Train, d.Validation); !testAllEqual(counts, 2) {
		t.Errorf("training label counts %v, want 2 of each", counts)
	}
	list, err := os.ReadFile(filepath.Join(dir, "test_filenames.txt"))
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(string(list))
	for i, name := range names {
		label, err := audio.ParseRawHDName(name)
		if err != nil || d.Test.Samples[i].Label != label {
			t.Errorf("test file %d, %s: label %d, name gives %d (%v)", i, name, d.Test.Samples[i].Label, label, err)
		}
		if !strings.Contains(name, "_speaker-10_") && !strings.Contains(name, "_speaker-11_") {
			t.Errorf("test file %s is not spoken by a test speaker", name)
		}
		// The tone of each class peaks in its own Mel channel.
		want := testMelChannel(toneHz(label, audio.RawHDClasses), 8000, 40)
		if got := testPeakChannel(testFeatures(d.Test, i)); got != want {
			t.Errorf("test file %s peaks in channel %d, want %d", name, got, want)
		}
	}
	// The channels of the 20 classes differ.
	var chans []int
	for c := range audio.RawHDClasses {
		chans = append(chans, testMelChannel(toneHz(c, audio.RawHDClasses), 8000, 40))
	}
	if distinct := slices.Compact(slices.Sorted(slices.Values(chans))); len(distinct) != audio.RawHDClasses {
		t.Errorf("classes share Mel channels: %v", chans)
	}
	again := t.TempDir()
	if err := WriteRawHD(again, 40, 20, 3); err != nil {
		t.Fatal(err)
	}
	testSameFiles(t, dir, again)
}

func TestWriteRawSC(t *testing.T) {
	dir := t.TempDir()
	words := []string{"yes", "no", "up", "down"}
	if err := WriteRawSC(dir, words, 12, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "_background_noise_", "white_noise.wav")); err != nil {
		t.Error(err)
	}
	d, err := audio.RawSC(audio.DefaultRawSC(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ClassNames, []string{"down", "no", "up", "yes"}) {
		t.Fatalf("classes %v, want [down no up yes]", d.ClassNames)
	}
	if d.Train.Len() != 40 || d.Validation.Len() != 4 || d.Test.Len() != 4 {
		t.Fatalf("splits hold %d/%d/%d samples, want 40/4/4", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		if counts := testLabelCounts(4, s); !testAllEqual(counts, s.Len()/4) {
			t.Errorf("%s label counts %v", s.Name, counts)
		}
		for i, smp := range s.Samples {
			want := testMelChannel(toneHz(smp.Label, 4), 8000, 40)
			if got := testPeakChannel(testFeatures(s, i)); got != want {
				t.Errorf("%s sample %d of class %d peaks in channel %d, want %d", s.Name, i, smp.Label, got, want)
			}
		}
	}
	// The held-out files are spoken by speakers of their own.
	val, _ := os.ReadFile(filepath.Join(dir, "validation_list.txt"))
	test, _ := os.ReadFile(filepath.Join(dir, "testing_list.txt"))
	speaker := func(entry string) string { return strings.SplitN(filepath.Base(entry), "_", 2)[0] }
	v, te := strings.Fields(string(val)), strings.Fields(string(test))
	if len(v) != 4 || len(te) != 4 || speaker(v[0]) != speaker(v[3]) || speaker(v[0]) == speaker(te[0]) {
		t.Errorf("validation list %q, testing list %q", v, te)
	}
	again := t.TempDir()
	if err := WriteRawSC(again, []string{"down", "up", "no", "yes"}, 12, 5); err != nil {
		t.Fatal(err)
	}
	testSameFiles(t, dir, again)
}

func TestWriteErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, err := range map[string]error{
		"SHD without training samples":     WriteSHD(dir, 0, 5, 1),
		"SHD with negative test count":     WriteSHD(dir, 5, -1, 1),
		"SHD into a file":                  WriteSHD(file, 5, 5, 1),
		"audio.RawHD without test samples": WriteRawHD(dir, 5, 0, 1),
		"audio.RawHD into a file":          WriteRawHD(file, 5, 5, 1),
		"audio.RawSC without words":        WriteRawSC(dir, nil, 5, 1),
		"audio.RawSC with 2 per word":      WriteRawSC(dir, []string{"a"}, 2, 1),
		"audio.RawSC with a hidden word":   WriteRawSC(dir, []string{"_noise"}, 5, 1),
		"audio.RawSC with a path as word":  WriteRawSC(dir, []string{"a/b"}, 5, 1),
		"audio.RawSC with a repeated word": WriteRawSC(dir, []string{"a", "b", "a"}, 5, 1),
		"audio.RawSC into a file":          WriteRawSC(file, []string{"a"}, 5, 1),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("rejected arguments still wrote %d entries", len(entries))
	}
}

// testMelChannel returns the filter whose centre, computed from the HTK Mel
// scale independently of the audio package, is nearest to f for n filters
// spanning 0 Hz to nyq.
func testMelChannel(f, nyq float64, n int) int {
	mel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	step := mel(nyq) / float64(n+1)
	k := int(math.Round(mel(f)/step)) - 1
	return max(0, min(n-1, k))
}

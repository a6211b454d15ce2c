package audio

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
)

// testHDFile is one recording of a synthetic Heidelberg Digits directory.
type testHDFile struct {
	name string
	test bool // listed in test_filenames.txt instead of train_filenames.txt
}

// testHDFreq gives every label its own tone, so that features differ.
func testHDFreq(label int) float64 { return 300 + 150*float64(label) }

// testMakeRawHD writes 48 kHz FLAC tones for files into audioDir (a
// subdirectory of root, or root itself) and the two list files into root.
func testMakeRawHD(t testing.TB, root, audioDir string, files []testHDFile) {
	t.Helper()
	var lists [2][]string
	for _, f := range files {
		label, err := ParseRawHDName(f.name)
		if err != nil {
			t.Fatal(err)
		}
		audiotest.WriteFile(t, filepath.Join(audioDir, f.name), audiotest.MonoFLAC(t, audiotest.Tone(testHDFreq(label), 48000, 0.3, 0.4), 48000))
		i := 0
		if f.test {
			i = 1
		}
		lists[i] = append(lists[i], f.name)
	}
	audiotest.WriteFile(t, filepath.Join(root, "train_filenames.txt"), []byte(strings.Join(lists[0], "\n")+"\n"))
	audiotest.WriteFile(t, filepath.Join(root, "test_filenames.txt"), []byte(strings.Join(lists[1], "\r\n")+"\r\n\r\n"))
}

// testHDFiles returns n training and 2 test recordings of varied labels.
func testHDFiles(n int) []testHDFile {
	var files []testHDFile
	for i := range n + 2 {
		lang := []string{"english", "german"}[i%2]
		files = append(files, testHDFile{
			name: fmt.Sprintf("lang-%s_speaker-%02d_trial-%d_digit-%d.flac", lang, i%5, i, (i*3)%10),
			test: i >= n,
		})
	}
	return files
}

func TestRawHDLoadsSplitsAndLabels(t *testing.T) {
	root := t.TempDir()
	files := testHDFiles(8)
	testMakeRawHD(t, root, filepath.Join(root, "audio"), files)
	c := DefaultRawHD(root)
	c.ValidationFraction = 0.25
	d, err := RawHD(c)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 6 || d.Validation.Len() != 2 || d.Test.Len() != 2 {
		t.Fatalf("splits hold %d/%d/%d samples, want 6/2/2", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		if s.Steps != 80 || s.Units != 40 || s.Classes != 20 {
			t.Errorf("split %s has grid %d×%d with %d classes, want 80×40 with 20", s.Name, s.Steps, s.Units, s.Classes)
		}
		for _, smp := range s.Samples {
			if smp.Dense.Len() != 80*40 || smp.Dense.F16 == nil || len(smp.Events) != 0 {
				t.Fatalf("split %s: sample holds %d dense values (float16: %v) and %d events, want 3200 float16 values", s.Name, smp.Dense.Len(), smp.Dense.F16 != nil, len(smp.Events))
			}
		}
	}
	if d.ClassNames[3] != "english-3" || d.ClassNames[17] != "german-7" {
		t.Errorf("class names %v", d.ClassNames)
	}
	// Test samples keep the list order; their labels come from the names.
	for i, f := range files[8:] {
		want, _ := ParseRawHDName(f.name)
		if got := d.Test.Samples[i].Label; got != want {
			t.Errorf("test sample %d (%s): label %d, want %d", i, f.name, got, want)
		}
	}
	// The 48 kHz tone of each label lands in its Mel channel after resampling.
	smp := d.Test.Samples[0]
	raster := make([]float64, 80*40)
	d.Test.Raster(0, raster)
	feats := make([][]float64, 80)
	for i := range feats {
		feats[i] = raster[i*40 : (i+1)*40]
	}
	if got, want := audiotest.ArgmaxChannel(feats), audiotest.MelChannel(testHDFreq(smp.Label), 8000, 40); got != want {
		t.Errorf("tone of label %d peaks in channel %d, want %d", smp.Label, got, want)
	}
}

func TestRawHDLayouts(t *testing.T) {
	// FLAC files next to the lists, and everything inside hd_audio/.
	flat := t.TempDir()
	testMakeRawHD(t, flat, flat, testHDFiles(2))
	nested := t.TempDir()
	testMakeRawHD(t, filepath.Join(nested, "hd_audio"), filepath.Join(nested, "hd_audio", "audio"), testHDFiles(2))
	for _, dir := range []string{flat, nested} {
		c := DefaultRawHD(dir)
		c.NoCache = true
		d, err := RawHD(c)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if d.Train.Len()+d.Validation.Len() != 2 || d.Test.Len() != 2 {
			t.Errorf("%s: got %d+%d/%d samples", dir, d.Train.Len(), d.Validation.Len(), d.Test.Len())
		}
		if _, err := os.Stat(filepath.Join(dir, CacheDirName)); err == nil {
			t.Errorf("%s: NoCache still created a cache", dir)
		}
	}
}

func TestRawHDErrorsNameTheProblem(t *testing.T) {
	mk := func(edit func(root string)) string {
		root := t.TempDir()
		testMakeRawHD(t, root, filepath.Join(root, "audio"), testHDFiles(2))
		edit(root)
		return root
	}
	audio := func(root string, i int) string { return filepath.Join(root, "audio", testHDFiles(2)[i].name) }
	for _, tc := range []struct {
		name string
		dir  string
		want string
	}{
		{"empty dir", t.TempDir(), "train_filenames.txt"},
		{"missing dir", filepath.Join(t.TempDir(), "nope"), "nope"},
		{"missing file", mk(func(r string) { os.Remove(audio(r, 1)) }), testHDFiles(2)[1].name},
		{"bad name", mk(func(r string) {
			audiotest.WriteFile(t, filepath.Join(r, "test_filenames.txt"), []byte("speaker-1_digit-3.flac\n"))
		}), "speaker-1_digit-3.flac"},
		{"empty list", mk(func(r string) { audiotest.WriteFile(t, filepath.Join(r, "test_filenames.txt"), []byte("\n\n")) }), "lists no files"},
		{"missing test list", mk(func(r string) { os.Remove(filepath.Join(r, "test_filenames.txt")) }), "test_filenames.txt"},
		{"corrupt FLAC", mk(func(r string) { audiotest.WriteFile(t, audio(r, 0), []byte("fLaC garbage")) }), testHDFiles(2)[0].name},
		{"truncated FLAC", mk(func(r string) {
			b, _ := os.ReadFile(audio(r, 2))
			audiotest.WriteFile(t, audio(r, 2), b[:len(b)/2])
		}), testHDFiles(2)[2].name},
	} {
		c := DefaultRawHD(tc.dir)
		c.NoCache = true
		_, err := RawHD(c)
		t.Logf("%s: %v", tc.name, err)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestRawHDValidateNamesField(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*RawHDConfig)
	}{
		{"Dir", func(c *RawHDConfig) { c.Dir = "" }},
		{"Frames", func(c *RawHDConfig) { c.Mel.Frames = 0 }},
		{"Filters", func(c *RawHDConfig) { c.Mel.Filters = -1 }},
		{"ValidationFraction", func(c *RawHDConfig) { c.ValidationFraction = 1 }},
	} {
		c := DefaultRawHD("x")
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: got %v, want an error naming it", tc.field, err)
		}
	}
	if err := DefaultRawHD("x").Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
}

func TestParseRawHDName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		label int
		ok    bool
	}{
		{"lang-english_speaker-03_trial-2_digit-7.flac", 7, true},
		{"lang-german_speaker-11_trial-47_digit-0.flac", 10, true},
		{"lang-german_speaker-00_trial-0_digit-9.flac", 19, true},
		{"lang-french_speaker-03_trial-2_digit-7.flac", 0, false},
		{"lang-english_speaker-03_trial-2_digit-10.flac", 0, false},
		{"lang-english_speaker-03_trial-2_digit-7.wav", 0, false},
		{"lang-english_speaker-x_trial-2_digit-7.flac", 0, false},
		{"lang-english_speaker-03_trial-_digit-7.flac", 0, false},
		{"lang-english_speaker-03_digit-7.flac", 0, false},
		{"speaker-03_lang-english_trial-2_digit-7.flac", 0, false},
		{"lang-english_speaker-03_trial-2_digit-7_extra.flac", 0, false},
		{"", 0, false},
	} {
		label, err := ParseRawHDName(tc.name)
		if (err == nil) != tc.ok || (tc.ok && label != tc.label) {
			t.Errorf("ParseRawHDName(%q) = %d, %v; want %d, ok=%v", tc.name, label, err, tc.label, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.name)) {
			t.Errorf("error %v does not name %q", err, tc.name)
		}
	}
}

func FuzzRawHDName(f *testing.F) {
	f.Add("lang-english_speaker-03_trial-2_digit-7.flac")
	f.Add("lang-german_speaker-11_trial-47_digit-0.flac")
	f.Add("lang-_speaker-_trial-_digit-.flac")
	f.Add("__\x00.flac")
	f.Fuzz(func(t *testing.T, name string) {
		label, err := ParseRawHDName(name)
		if err != nil {
			return
		}
		if label < 0 || label >= RawHDClasses {
			t.Fatalf("%q: label %d outside [0, %d)", name, label, RawHDClasses)
		}
		// An accepted name must say which language it is.
		lang := "english"
		if label >= 10 {
			lang = "german"
		}
		if !strings.HasPrefix(name, "lang-"+lang+"_") || !strings.HasSuffix(name, fmt.Sprintf("_digit-%d.flac", label%10)) {
			t.Fatalf("%q accepted with label %d", name, label)
		}
	})
}

package audio

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
	"github.com/spikegrad/spikegrad/datasets/audio/mel"
	"github.com/spikegrad/spikegrad/datasets/internal/audioenc"
)

// testMakeRawSC writes a small Speech Commands tree: three words of four
// 16 kHz WAV files each, one of each held out for validation and one for
// test, and a _background_noise_ directory holding a file that is not valid
// audio, which the loader must never open.
func testMakeRawSC(t testing.TB, dir string) {
	t.Helper()
	words := map[string]float64{"yes": 500, "no": 1500, "up": 3000}
	var val, test []string
	for w, f := range words {
		for i, name := range []string{"a_nohash_0.wav", "b_nohash_0.wav", "c_nohash_1.wav", "d_nohash_0.wav"} {
			secs := 0.5 + 0.25*float64(i) // 1.25 s is cropped, 0.5 s padded
			audiotest.WriteFile(t, filepath.Join(dir, w, name), audiotest.MonoWAV(t, audiotest.Tone(f, 16000, secs, 0.3), 16000))
		}
		val = append(val, w+"/b_nohash_0.wav")
		test = append(test, w+"/c_nohash_1.wav")
	}
	audiotest.WriteFile(t, filepath.Join(dir, "_background_noise_", "white_noise.wav"), []byte("not a wav"))
	audiotest.WriteFile(t, filepath.Join(dir, "README.md"), []byte("speech commands"))
	audiotest.WriteFile(t, filepath.Join(dir, "validation_list.txt"), []byte(strings.Join(val, "\n")+"\n"))
	audiotest.WriteFile(t, filepath.Join(dir, "testing_list.txt"), []byte(strings.Join(test, "\n")+"\n"))
}

func TestRawSCLoadsSplitsAndLabels(t *testing.T) {
	dir := t.TempDir()
	testMakeRawSC(t, dir)
	for range 2 { // the second load reads the cache, which must not count as a word
		d, err := RawSC(DefaultRawSC(dir))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.ClassNames, []string{"no", "up", "yes"}) {
			t.Fatalf("classes %v, want [no up yes]", d.ClassNames)
		}
		if d.Train.Len() != 6 || d.Validation.Len() != 3 || d.Test.Len() != 3 {
			t.Fatalf("splits hold %d/%d/%d samples, want 6/3/3", d.Train.Len(), d.Validation.Len(), d.Test.Len())
		}
		for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
			if s.Steps != 100 || s.Units != 40 || s.Classes != 3 {
				t.Errorf("split %s: grid %d×%d with %d classes, want 100×40 with 3", s.Name, s.Steps, s.Units, s.Classes)
			}
			for i, smp := range s.Samples {
				// Files are read word by word, so sample i has word i/(n/3).
				if want := i / (s.Len() / 3); smp.Label != want {
					t.Errorf("split %s: sample %d has label %d, want %d", s.Name, i, smp.Label, want)
				}
			}
		}
		// The "up" tone (3 kHz) lands in its Mel channel.
		raster := make([]float64, 100*40)
		d.Test.Raster(1, raster)
		feats := make([][]float64, 100)
		for i := range feats {
			feats[i] = raster[i*40 : (i+1)*40]
		}
		if got, want := audiotest.ArgmaxChannel(feats), audiotest.MelChannel(3000, 8000, 40); got != want {
			t.Errorf("3 kHz word peaks in channel %d, want %d", got, want)
		}
	}
}

func TestRawSCErrorsNameTheProblem(t *testing.T) {
	mk := func(edit func(dir string)) string {
		dir := t.TempDir()
		testMakeRawSC(t, dir)
		edit(dir)
		return dir
	}
	for _, tc := range []struct {
		name, dir, want string
	}{
		{"empty dir", t.TempDir(), "go run ./cmd/download --dataset rawsc --dir"},
		{"missing dir", filepath.Join(t.TempDir(), "nope"), "nope"},
		{"no testing list", mk(func(d string) { os.Remove(filepath.Join(d, "testing_list.txt")) }), "testing_list.txt"},
		{"listed file missing", mk(func(d string) { os.Remove(filepath.Join(d, "up", "b_nohash_0.wav")) }), "up/b_nohash_0.wav"},
		{"only unknown words listed", mk(func(d string) {
			audiotest.WriteFile(t, filepath.Join(d, "testing_list.txt"), []byte("_background_noise_/white_noise.wav\n"))
		}), "the test split is empty"},
		{"malformed entry", mk(func(d string) { audiotest.WriteFile(t, filepath.Join(d, "testing_list.txt"), []byte("yes.wav\n")) }), "yes.wav"},
		{"corrupt WAV", mk(func(d string) { audiotest.WriteFile(t, filepath.Join(d, "no", "a_nohash_0.wav"), []byte("RIFF")) }), filepath.Join("no", "a_nohash_0.wav")},
		{"truncated WAV", mk(func(d string) {
			p := filepath.Join(d, "yes", "d_nohash_0.wav")
			b, _ := os.ReadFile(p)
			audiotest.WriteFile(t, p, b[:len(b)-1001])
		}), filepath.Join("yes", "d_nohash_0.wav")},
		{"all held out", mk(func(d string) {
			for _, w := range []string{"no", "up", "yes"} {
				for _, f := range []string{"a_nohash_0.wav", "d_nohash_0.wav"} {
					os.Remove(filepath.Join(d, w, f))
				}
			}
		}), "train split is empty"},
	} {
		c := DefaultRawSC(tc.dir)
		c.NoCache = true
		_, err := RawSC(c)
		t.Logf("%s: %v", tc.name, err)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestRawSCValidateNamesField(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*RawSCConfig)
	}{
		{"Dir", func(c *RawSCConfig) { c.Dir = "" }},
		{"Frames", func(c *RawSCConfig) { c.Mel.Frames = 0 }},
		{"SampleRate", func(c *RawSCConfig) { c.Mel.SampleRate = 0 }},
	} {
		c := DefaultRawSC("x")
		tc.edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: got %v, want an error naming it", tc.field, err)
		}
	}
}

// TestAudioPipeline48kHzWAV checks that a 48 kHz WAV is resampled before the
// features are computed: one second gives the 98 frames of one second at
// 16 kHz, and the tone stays in its channel.
func TestAudioPipeline48kHzWAV(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.wav")
	const f = 2500
	audiotest.WriteFile(t, p, audiotest.WAV(t, audioenc.Quantize(audiotest.Tone(f, 48000, 1, 0.5), 24), 48000, 24, 1, false))
	m, err := mel.New(mel.Default())
	if err != nil {
		t.Fatal(err)
	}
	a, err := decode.File(p)
	if err != nil {
		t.Fatal(err)
	}
	x, err := mel.Resample(a.Samples, a.SampleRate, 16000)
	if err != nil {
		t.Fatal(err)
	}
	feats, err := m.Features(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 98 {
		t.Errorf("1 s at 48 kHz gave %d frames, want 98", len(feats))
	}
	if got, want := audiotest.ArgmaxChannel(feats), audiotest.MelChannel(f, 8000, 40); got != want {
		t.Errorf("%d Hz tone peaks in channel %d, want %d", f, got, want)
	}
}

package speech

import (
	"errors"
	"path"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio"
)

// The plans of small stand-ins, frozen: a change to what the generator
// draws shows here, without espeak-ng or sox. Change these only with
// generator (write.go) and say why in the commit.
var goldenPlans = map[string]string{
	"rawhd": "244463f3ee738daf7756fc075b45bcdd502980b9f0f602e9112f8b04d00db77a",
	"rawsc": "4e68059ca11f1cdaa016087eb33125ac7af033bbc99dcf5c6f5eabee7ef3a7bb",
}

func tinyConfig(set string) Config {
	c := DefaultConfig(set)
	c.Speakers, c.TestSpeakers, c.Trials = 2, 1, 1
	if set == RawSC {
		c.ValidationSpeakers, c.Words = 1, []string{"yes", "no", "tree", "three"}
	}
	return c
}

func TestPlanIsFrozen(t *testing.T) {
	for set, want := range goldenPlans {
		_, recs, err := Plan(tinyConfig(set))
		if err != nil {
			t.Fatal(err)
		}
		if got := ManifestHash(PlanTSV(recs)); got != want {
			t.Errorf("%s: the plan of the tiny stand-in has hash %s, want %s: the generator changed; if on purpose, update goldenPlans and the generator's name", set, got, want)
		}
	}
}

func TestPlanSplitsBySpeaker(t *testing.T) {
	for _, set := range []string{RawHD, RawSC} {
		c := DefaultConfig(set)
		speakers, recs, err := Plan(c)
		if err != nil {
			t.Fatal(err)
		}
		if n := c.Speakers + c.ValidationSpeakers + c.TestSpeakers; len(speakers) != n {
			t.Fatalf("%s: %d speakers, want %d", set, len(speakers), n)
		}
		classes := 20
		if set == RawSC {
			classes = len(SCWords)
		}
		if want := len(speakers) * classes * c.Trials; len(recs) != want {
			t.Fatalf("%s: %d recordings, want %d", set, len(recs), want)
		}
		split := map[string]string{}
		variant := map[string]bool{}
		for _, sp := range speakers {
			if variant[sp.Variant] {
				t.Errorf("%s: voice variant %s used twice", set, sp.Variant)
			}
			variant[sp.Variant] = true
			split[sp.ID] = sp.Split
		}
		paths := map[string]bool{}
		for _, r := range recs {
			if paths[r.Path] {
				t.Fatalf("%s: %s planned twice", set, r.Path)
			}
			paths[r.Path] = true
			if split[r.Speaker] != r.Split {
				t.Fatalf("%s: %s is in %s, its speaker in %s", set, r.Path, r.Split, split[r.Speaker])
			}
			if r.SNR < c.SNR[0] || r.SNR > c.SNR[1] {
				t.Fatalf("%s: %s at %g dB", set, r.Path, r.SNR)
			}
			if set == RawHD {
				label, err := audio.ParseRawHDName(path.Base(r.Path))
				if err != nil || label != r.Label {
					t.Fatalf("%s: label %d (%v), want %d", r.Path, label, err, r.Label)
				}
				if german := r.Label >= 10; german != strings.HasPrefix(r.Voice, "de+") {
					t.Fatalf("%s said with voice %s", r.Path, r.Voice)
				}
			} else if w, _, _ := strings.Cut(r.Path, "/"); w != SCWords[r.Label] {
				t.Fatalf("%s has label %d (%s)", r.Path, r.Label, SCWords[r.Label])
			}
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.Set = "shd" }, "Set"},
		{func(c *Config) { c.Speakers = 0 }, "Speakers"},
		{func(c *Config) { c.TestSpeakers = 0 }, "TestSpeakers"},
		{func(c *Config) { c.ValidationSpeakers = 1 }, "ValidationSpeakers"},
		{func(c *Config) { c.Trials = 0 }, "Trials"},
		{func(c *Config) { c.SNR = [2]float64{10, 5} }, "SNR"},
		{func(c *Config) { c.Words = []string{"yes"} }, "Words"},
	} {
		c := DefaultConfig(RawHD)
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error naming %s, got %v", tc.want, err)
		}
	}
	c := DefaultConfig(RawSC)
	c.Words = []string{"yes", "_noise"}
	if err := c.Validate(); err == nil {
		t.Error("a word folder starting with _ was accepted")
	}
	c.Words = []string{"yes", "yes"}
	if err := c.Validate(); err == nil {
		t.Error("a word given twice was accepted")
	}
}

func TestMissingToolsNameThePackage(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := FindTools(t.Context())
	var missing *ToolMissingError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "apt-get install espeak-ng") {
		t.Fatalf("got %v, want an error naming the package espeak-ng", err)
	}
	if _, err := Write(t.Context(), t.TempDir(), tinyConfig(RawHD), Options{}); !errors.As(err, &missing) {
		t.Fatalf("Write without the tools: got %v, want a *ToolMissingError", err)
	}
}

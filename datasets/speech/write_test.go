package speech

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/audio"
)

// needTools returns espeak-ng and sox, or skips the test without them;
// under CI (CI=true) their absence is a failure.
func needTools(t *testing.T) Tools {
	t.Helper()
	tools, err := FindTools(t.Context())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v (CI installs the Debian packages %s)", err, AptPackages)
		}
		t.Skip(err)
	}
	return tools
}

// The manifests of the tiny stand-ins, frozen, as made by these versions
// of the tools; with other versions the files may differ, and the test
// checks only that two writes agree.
var (
	goldenTools     = [2]string{"eSpeak NG text-to-speech: 1.51", "SoX v14.4.2"}
	goldenManifests = map[string]string{
		"rawhd": "37896309ec8f1051a8093cea2a505458fbd5a87b2e6d6e090aa1511d84823170",
		"rawsc": "fc09065cadc332e9f536960af798c65f087134bfa6256e01f3899faaf0fed48b",
	}
)

func TestWriteIsFrozen(t *testing.T) {
	tools := needTools(t)
	for _, set := range []string{RawHD, RawSC} {
		dir := filepath.Join(t.TempDir(), set)
		c := tinyConfig(set)
		if _, err := Write(t.Context(), dir, c, Options{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		if err := Verify(dir); err != nil {
			t.Fatal(err)
		}
		m, err := os.ReadFile(filepath.Join(dir, ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		got := ManifestHash(m)
		if [2]string{tools.EspeakVersion, tools.SoxVersion} == goldenTools {
			if got != goldenManifests[set] {
				t.Errorf("%s: the tiny stand-in's manifest has hash %s, want %s: the generator's files changed; if on purpose, update goldenManifests and the generator's name", set, got, goldenManifests[set])
			}
		} else {
			t.Logf("%s, %s: not the versions of the golden manifests (%v); checking that two writes agree", tools.EspeakVersion, tools.SoxVersion, goldenTools)
			again := filepath.Join(t.TempDir(), set)
			if _, err := Write(t.Context(), again, c, Options{Workers: 1}); err != nil {
				t.Fatal(err)
			}
			m2, _ := os.ReadFile(filepath.Join(again, ManifestFile))
			if string(m2) != string(m) {
				t.Errorf("%s: two writes of the same stand-in differ", set)
			}
		}
		checkLoads(t, dir, c)
		// A changed file is caught.
		var victim string
		if set == RawHD {
			victim = filepath.Join(dir, "train_filenames.txt")
		} else {
			victim = filepath.Join(dir, "testing_list.txt")
		}
		if err := os.WriteFile(victim, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := Verify(dir); err == nil || !strings.Contains(err.Error(), "1 changed") {
			t.Errorf("%s: Verify after a change: %v", set, err)
		}
	}
}

// checkLoads loads the stand-in in dir as cmd/train would and checks the
// splits' sizes.
func checkLoads(t *testing.T, dir string, c Config) {
	t.Helper()
	perSpeaker := 20 * c.Trials
	if c.Set == RawSC {
		perSpeaker = len(c.words()) * c.Trials
	}
	if c.Set == RawHD {
		hc := audio.DefaultRawHD(dir)
		hc.NoCache = true
		hc.Validation = "speakers"
		hc.ValidationFraction = 0.5
		d, err := audio.RawHD(hc)
		if err != nil {
			t.Fatal(err)
		}
		if d.Train.Len()+d.Validation.Len() != c.Speakers*perSpeaker || d.Test.Len() != c.TestSpeakers*perSpeaker {
			t.Errorf("rawhd: %d + %d training and %d test recordings, want %d and %d", d.Train.Len(), d.Validation.Len(),
				d.Test.Len(), c.Speakers*perSpeaker, c.TestSpeakers*perSpeaker)
		}
		return
	}
	sc := audio.DefaultRawSC(dir)
	sc.NoCache = true
	d, err := audio.RawSC(sc)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != c.Speakers*perSpeaker || d.Validation.Len() != c.ValidationSpeakers*perSpeaker || d.Test.Len() != c.TestSpeakers*perSpeaker {
		t.Errorf("rawsc: %d / %d / %d recordings, want %d / %d / %d", d.Train.Len(), d.Validation.Len(), d.Test.Len(),
			c.Speakers*perSpeaker, c.ValidationSpeakers*perSpeaker, c.TestSpeakers*perSpeaker)
	}
	if len(d.ClassNames) != len(c.words()) {
		t.Errorf("rawsc: classes %v", d.ClassNames)
	}
}

func TestWriteRefusesAFullFolder(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(t.Context(), dir, tinyConfig(RawHD), Options{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("got %v, want a refusal", err)
	}
}

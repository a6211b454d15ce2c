package train_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
	"github.com/spikegrad/spikegrad/train"
)

func parse(t *testing.T, args ...string) (*train.Args, error) {
	t.Helper()
	var stderr bytes.Buffer
	return train.ParseArgs("train", "usage", args, &stderr)
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFlagsOverrideConfigFile(t *testing.T) {
	cfg := writeFile(t, "run.yaml", "lr: 0.02\nepochs: 7\nhidden: [30, 20]\nsurrogate: esser\n")
	a, err := parse(t, "--config", cfg, "--epochs", "3")
	if err != nil {
		t.Fatal(err)
	}
	s := a.Settings
	if s.LR != 0.02 || s.Epochs != 3 || len(s.Hidden) != 2 || s.Hidden[1] != 20 || s.Surrogate != "esser" {
		t.Errorf("got lr %g epochs %d hidden %v surrogate %s", s.LR, s.Epochs, s.Hidden, s.Surrogate)
	}
}

func TestDatasetDefaultsFollowTheDataset(t *testing.T) {
	a, err := parse(t, "--dataset", "shd", "--data-dir", "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	s := a.Settings
	if s.Steps != 400 || s.DT != 2 || !s.Recurrent || s.Hidden[0] != 128 || s.TauMem != 20 {
		t.Errorf("shd defaults: steps %d dt %g recurrent %v hidden %v τ_mem %g", s.Steps, s.DT, s.Recurrent, s.Hidden, s.TauMem)
	}
	cfg := writeFile(t, "rawhd.yaml", "dataset: rawhd\n")
	if a, err = parse(t, "--config", cfg); err != nil || a.Settings.Steps != 80 {
		t.Errorf("rawhd from the file: %v, %+v", err, a)
	}
}

// TestConfigErrorsNameTheKey: unknown keys, wrong types and out-of-range
// values in a file or on the command line.
func TestConfigErrorsNameTheKey(t *testing.T) {
	files := map[string]string{
		"lrr: 1\n":           `unknown key "lrr"`,
		"lr: fast\n":         `key "lr"`,
		"epochs: 2.5\n":      `key "epochs"`,
		"recurrent: maybe\n": `key "recurrent"`,
		"hidden: [10, -3]\n": `key "hidden"`,
		"tau-mem: -5\n":      "tau-mem",
		"batch: 0\n":         "batch",
		"surrogate: relu\n":  "surrogate",
		"reg-upper-strength: 1\nreg-upper-exp: 3\n": "reg-upper-exp",
		"lr: 1\nlr: 2\n":         "twice",
		"- 1\n- 2\n":             "mapping",
		"dataset: cifar\n":       "dataset",
		"recurrent-grad: true\n": "recurrent-grad",
		"randman-window: 500\n":  "Window",
	}
	for text, want := range files {
		_, err := parse(t, "--config", writeFile(t, "bad.yaml", text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error naming %s, got %v", text, want, err)
		}
	}
	flags := map[string][]string{
		"--lr":         {"--lr", "x"},
		"--beta":       {"--beta", "-1"},
		"--readout":    {"--readout", "mean"},
		"--dtype":      {"--dtype", "float16"},
		"--hidden":     {"--hidden", "10,a"},
		"--log-format": {"--log-format", "xml"},
	}
	for name, args := range flags {
		if _, err := parse(t, args...); err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(name, "--")) {
			t.Errorf("%v: want an error naming %s, got %v", args, name, err)
		}
	}
	if _, err := parse(t, "--config", "/no/such/file.yaml"); err == nil {
		t.Error("missing config file: want an error")
	}
}

// TestPrintedConfigReproducesTheSettings: --print-config output fed back
// with --config gives identical settings.
func TestPrintedConfigReproducesTheSettings(t *testing.T) {
	a, err := parse(t, "--lr", "0.003", "--hidden", "40,30", "--recurrent", "--surrogate", "sigmoid", "--reg-lower-strength", "0.5")
	if err != nil {
		t.Fatal(err)
	}
	y, err := a.Settings.YAML()
	if err != nil {
		t.Fatal(err)
	}
	b, err := parse(t, "--config", writeFile(t, "printed.yaml", string(y)))
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(a.Settings)
	j2, _ := json.Marshal(b.Settings)
	if !bytes.Equal(j1, j2) {
		t.Errorf("settings differ after the round trip:\n%s\n%s", j1, j2)
	}
	var back train.Settings
	if err := json.Unmarshal(j1, &back); err != nil {
		t.Fatal(err)
	}
	if j3, _ := json.Marshal(back); !bytes.Equal(j1, j3) {
		t.Errorf("JSON round trip differs:\n%s\n%s", j1, j3)
	}
}

// TestAudioTimeGridIsTheMelFrameHop: for rawhd and rawsc a network step is
// one Mel frame, so Δt defaults to the 10 ms frame hop, --dt sets the hop
// and --steps the number of frames, and a hop that is not a whole number of
// samples at 16 kHz is refused.
func TestAudioTimeGridIsTheMelFrameHop(t *testing.T) {
	for _, ds := range []string{"rawhd", "rawsc"} {
		a, err := parse(t, "--dataset", ds, "--data-dir", "/nowhere")
		if err != nil || a.Settings.DT != 10 {
			t.Errorf("%s: dt %v, %v; want 10 ms", ds, a.Settings.DT, err)
		}
		if _, err := parse(t, "--dataset", ds, "--data-dir", "/nowhere", "--dt", "0.1"); err == nil || !strings.Contains(err.Error(), "dt") {
			t.Errorf("%s --dt 0.1: want an error naming dt, got %v", ds, err)
		}
	}
	dir := t.TempDir()
	if err := synthetic.WriteRawHD(dir, 4, 2, 1); err != nil {
		t.Fatal(err)
	}
	// The recordings last at most 0.73 s; the frames after the last one are
	// repeats of it. Doubling the hop halves the frames that differ.
	lastDistinct := func(dt float64) int {
		s := train.DefaultSettings("rawhd")
		s.DataDir, s.DT, s.Steps = dir, dt, 90
		d, err := s.LoadData(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if d.Test.Steps != 90 || d.Test.Units != 40 {
			t.Fatalf("dt %g: grid %d×%d, want 90×40", dt, d.Test.Steps, d.Test.Units)
		}
		x := make([]float64, 90*40)
		d.Test.Raster(0, x)
		last := 0
		for f := 1; f < 90; f++ {
			if !slices.Equal(x[f*40:(f+1)*40], x[(f-1)*40:f*40]) {
				last = f
			}
		}
		return last
	}
	a, b := lastDistinct(10), lastDistinct(20)
	if a < 40 || a > 73 || b < a/2-2 || b > a/2+2 {
		t.Errorf("last distinct frame %d with a 10 ms hop and %d with 20 ms; want about 40–73 and half of it", a, b)
	}
}

// TestLimitTakesSeededSubsets: --limit caps every split with a subset that
// depends on the data seed only.
func TestLimitTakesSeededSubsets(t *testing.T) {
	s := train.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.SamplesPerClass, s.Randman.TrainPerClass, s.Randman.ValidationPerClass = 3, 40, 30, 5
	s.Limit = 7
	load := func() []int {
		d, err := s.LoadData(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var sizes []int
		for _, sp := range []*datasets.Split{d.Train, d.Validation, d.Test} {
			sizes = append(sizes, sp.Len())
		}
		return append(sizes, d.Train.Samples[0].Label, int(d.Train.Samples[0].Events[0].Unit))
	}
	a, b := load(), load()
	if a[0] != 7 || a[1] != 7 || a[2] != 7 || !reflect.DeepEqual(a, b) {
		t.Errorf("limited splits %v, again %v; want 7 each and the same subset", a, b)
	}
}

func TestDataSettingsChecked(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for no error
	}{
		{[]string{"--dataset", "shd", "--validation", "speakers"}, ""},
		{[]string{"--dataset", "ssc", "--validation", "file"}, ""},
		{[]string{"--dataset", "rawhd", "--validation", "speakers"}, ""},
		{[]string{"--dataset", "shd", "--validation", "file"}, "validation: for shd want one of random, speakers"},
		{[]string{"--dataset", "rawsc", "--validation", "random"}, "validation: for rawsc want one of file"},
		{[]string{"--validation", "random"}, "randman has no choice"},
		{[]string{"--dataset", "rawsc", "--feature-storage", "float64"}, "feature-storage"},
	} {
		_, err := parse(t, tc.args...)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
	s := train.DefaultSettings("ssc")
	if s.Steps != 250 || s.DT != 4 || !s.Recurrent || s.FeatureStorage != "float16" {
		t.Errorf("ssc defaults: steps %d dt %g recurrent %v storage %s", s.Steps, s.DT, s.Recurrent, s.FeatureStorage)
	}
}

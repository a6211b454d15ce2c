package sweep_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// The models the presets name, as the commands register them.
func init() {
	network.Register(adlif.Neuron{})
	network.Register(learntau.Neuron{})
	network.Register(learntau.Neuron{Gamma: true})
}

// The comparison of neuron models (issue 27): each of the four speech
// data sets with its stand-in's folder and its defaults, and in each
// every model at every η and seed exactly once; the runs of a data set
// differ from its defaults in neuron, η, seed and the fluctuation-driven
// initialisation only.
func TestSpeechNeuronsPlan(t *testing.T) {
	_, sweeps, err := sweep.Preset("speech-neurons")
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{"rawhd": "data/speech-hd", "shd": "data/standin-shd", "ssc": "data/standin-ssc", "rawsc": "data/speech-sc"}
	models := []string{"lif", learntau.GammaName, adlif.Name}
	seen := map[string]int{}
	for _, j := range jobs {
		s := j.Settings
		if dirs[s.Dataset] == "" || s.DataDir != dirs[s.Dataset] || !slices.Contains(models, s.Neuron) {
			t.Fatalf("run %s: data set %q in %q, neuron %q", j.Name, s.Dataset, s.DataDir, s.Neuron)
		}
		want := run.DefaultSettings(s.Dataset)
		want.DataDir, want.Neuron, want.LR, want.Seed, want.Init = s.DataDir, s.Neuron, s.LR, s.Seed, "fluctuation"
		if j.ID != want.ID() {
			t.Errorf("run %s differs from the %s defaults in more than neuron, lr, seed and init", j.Name, s.Dataset)
		}
		seen[fmt.Sprint(s.Dataset, s.Neuron, s.LR, s.Seed)]++
	}
	for ds := range dirs {
		for _, m := range models {
			lrs := map[string][]float64{"rawhd": {0.002, 0.005, 0.01, 0.02, 0.05}, "shd": {0.001, 0.002, 0.005, 0.01, 0.02}}[ds]
			if lrs == nil {
				lrs = []float64{0.002, 0.005, 0.01}
			}
			for _, lr := range lrs {
				for seed := uint64(1); seed <= 5; seed++ {
					if k := fmt.Sprint(ds, m, lr, seed); seen[k] != 1 {
						t.Errorf("%s %s lr %g seed %d: %d runs, want 1", ds, m, lr, seed, seen[k])
					}
				}
			}
		}
	}
	if len(jobs) != (3+5+5+3)*3*5 {
		t.Errorf("%d runs, want 240", len(jobs))
	}
}

// The paper's presets run the paper's neuron: every run is the LIF. A data
// set's default neuron that changed to another model would fail here until
// the paper presets name the LIF, so the paper study does not drift.
func TestPaperPresetsPinTheLIF(t *testing.T) {
	for _, name := range sweep.PresetNames() {
		if !strings.HasPrefix(name, "paper-") {
			continue
		}
		_, sweeps, err := sweep.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := sweep.Jobs(run.DefaultSettings("randman"), sweeps)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if n := j.Settings.Neuron; n != "" && n != network.DefaultNeuron {
				t.Fatalf("preset %s, run %s: neuron %q", name, j.Name, n)
			}
		}
	}
}

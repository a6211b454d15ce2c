package run_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/run"
)

// The estimate is near what training measures (peak resident memory with
// /usr/bin/time, 2 cores) and errs on the high side.
func TestMemoryEstimateFollowsMeasurements(t *testing.T) {
	cases := []struct {
		set      map[string]string
		measured int64 // MiB
	}{
		{map[string]string{}, 87},
		{map[string]string{"hidden": "400"}, 242},
		{map[string]string{"steps": "400"}, 278},
		{map[string]string{"hidden": "100,100", "batch": "100", "steps": "200"}, 179},
		{map[string]string{"hidden": "1000", "batch": "50", "recurrent": "true"}, 415},
		{map[string]string{"hidden": "10", "batch": "4", "steps": "100", "dtype": "float64", "randman-units": "2000"}, 888},
	}
	for _, c := range cases {
		s := run.DefaultSettings("randman")
		for k, v := range c.set {
			if err := s.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
		est := s.EstimateMemory().Total() >> 20
		if est < c.measured || est > 2*c.measured {
			t.Errorf("%v: estimate %d MiB, measured %d MiB", c.set, est, c.measured)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	s := run.DefaultSettings("randman")
	if runtime.GOOS == "linux" {
		if n, from := s.MemoryLimit(); n <= 0 || from == "" {
			t.Errorf("machine memory: %d (%s)", n, from)
		}
	}
	s.MaxMemory = 1 << 20
	if n, from := s.MemoryLimit(); n != 1<<20 || from != "max-memory" {
		t.Errorf("max-memory: %d (%s)", n, from)
	}
	err := s.CheckMemory()
	if err == nil || !strings.Contains(err.Error(), "more than the limit of 1 MiB (max-memory)") {
		t.Errorf("a run over max-memory: %v", err)
	}
	s.Randman.SamplesPerClass, s.MaxMemory = 50_000_000, 64<<30
	if err := s.CheckMemory(); err == nil || !strings.Contains(err.Error(), "lower randman-samples") {
		t.Errorf("a huge randman data set: %v", err)
	}
}

// fourStates is a neuron model, as plain data, with twice the LIF's state
// and one per-neuron parameter.
type fourStates struct{ network.LIF }

func (fourStates) Name() string                      { return "test-four-states" }
func (fourStates) States() int                       { return 4 }
func (fourStates) Params(bool) []network.NeuronParam { return []network.NeuronParam{{Name: "tau"}} }

// The estimate reads the neuron model: its activations scale with the
// state variables, its per-neuron parameters count as weights.
func TestMemoryEstimateReadsTheNeuron(t *testing.T) {
	network.Register(fourStates{})
	s := run.DefaultSettings("randman")
	lif := s.EstimateMemory()
	s.Neuron = "test-four-states"
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	m := s.EstimateMemory()
	if m.Activations != 2*lif.Activations || m.Weights <= lif.Weights {
		t.Errorf("activations %d and weights %d, LIF %d and %d", m.Activations, m.Weights, lif.Activations, lif.Weights)
	}
}

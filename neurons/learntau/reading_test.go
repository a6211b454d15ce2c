package learntau_test

import (
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
)

// The readings are the time constants the model runs with: θ = 0 is the
// setting's τ, and the layers read their own settings.
func TestReadingIsTheTimeConstant(t *testing.T) {
	s := network.Default()
	s.Neuron, s.Hidden, s.TauMem, s.TauSyn, s.TauReadout = learntau.GammaName, []int{8}, 20, 10, 30
	var n network.Readable = learntau.Neuron{Gamma: true}
	want := map[string]struct {
		label string
		tau   float64
	}{"theta_mem0": {"τ_mem (ms)", 20}, "theta_syn0": {"τ_syn (ms)", 10}, "theta_memout": {"τ_readout (ms)", 30}, "theta_synout": {"τ_syn (ms)", 10}}
	seen := 0
	for _, p := range s.Params() {
		if !p.PerNeuron {
			continue
		}
		w, ok := want[p.Name]
		if !ok {
			t.Fatalf("unexpected parameter %s", p.Name)
		}
		seen++
		label, q := n.Reading(s, p, []float64{0, 1e9, -1e9})
		if label != w.label || q[0] != w.tau || math.Abs(q[1]-10*w.tau) > 1e-9*w.tau || math.Abs(q[2]-w.tau/10) > 1e-9*w.tau {
			t.Errorf("%s: %s %v, want %s %g and the factor-ten bounds", p.Name, label, q, w.label, w.tau)
		}
	}
	if seen != len(want) {
		t.Errorf("%d per-neuron parameters, want %d", seen, len(want))
	}
}

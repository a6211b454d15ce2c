package adlif_test

import (
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
)

// The decays read as time constants at the bounds of their ranges
// (τ_u from τ_mem/4 to 5τ_mem/4, τ_w from 1.5τ_mem to 15τ_mem), the
// couplings as the values the model uses.
func TestReadingIsTheModelsParameter(t *testing.T) {
	s := network.Default()
	s.Neuron, s.Hidden, s.TauMem, s.DT = adlif.Name, []int{8}, 20, 2
	var n network.Readable = adlif.Neuron{}
	want := map[string][3]float64{ // label's order: lo, hi, middle
		"alpha_logit0": {5, 25, -2 / math.Log((math.Exp(-2.0/5)+math.Exp(-2.0/25))/2)},
		"rho_logit0":   {30, 300, -2 / math.Log((math.Exp(-2.0/30)+math.Exp(-2.0/300))/2)},
		"a_logit0":     {0, 1, 0.5},
		"b_logit0":     {0, 2, 1},
	}
	labels := map[string]string{"alpha_logit0": "τ_u (ms)", "rho_logit0": "τ_w (ms)", "a_logit0": "a", "b_logit0": "b"}
	seen := 0
	for _, p := range s.Params() {
		if !p.PerNeuron {
			continue
		}
		seen++
		w := want[p.Name]
		label, q := n.Reading(s, p, []float64{-50, 50, 0})
		for k := range w {
			if math.Abs(q[k]-w[k]) > 1e-9*math.Max(1, w[k]) {
				t.Errorf("%s: reading %v, want %v", p.Name, q, w)
				break
			}
		}
		if label != labels[p.Name] {
			t.Errorf("%s: label %q, want %q", p.Name, label, labels[p.Name])
		}
	}
	if seen != 4 {
		t.Errorf("%d per-neuron parameters, want 4", seen)
	}
}

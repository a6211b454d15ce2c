package nir_test

import (
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
	"github.com/spikegrad/spikegrad/nir"
)

// NIR's CubaLIF is the LIF (with one τ per neuron or per layer): a network
// of another neuron model is refused in both forms, naming the model,
// rather than written as something it is not. NIR has no adaptive neuron,
// so Bittar & Garner's adLIF is among them.
func TestExportRefusesAnotherNeuron(t *testing.T) {
	for _, m := range []models.Neuron{lifnosyn.Neuron{}, adlif.Neuron{}} {
		network.Register(m)
		s := network.Default()
		s.Neuron, s.Hidden = m.Name(), []int{6}
		w, err := models.Init(s, 1, tensor.Float32)
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []nir.Target{nir.TargetSpikegrad, nir.TargetPeers} {
			_, _, err = (&nir.Network{Spec: s, Weights: w}).GraphFor(nir.ExportOptions{Target: target})
			if err == nil || !strings.Contains(err.Error(), "neuron model "+m.Name()) || !strings.Contains(err.Error(), "no mapping") {
				t.Errorf("export of a %s network for %q: %v, want an error naming the model", m.Name(), target, err)
			}
		}
	}
}

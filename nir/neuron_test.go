package nir_test

import (
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
)

// NIR's CubaLIF is the LIF: a network of another neuron model is refused,
// naming the model, rather than written as something it is not.
func TestExportRefusesAnotherNeuron(t *testing.T) {
	network.Register(lifnosyn.Neuron{})
	s := network.Default()
	s.Neuron = lifnosyn.Name
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&nir.Network{Spec: s, Weights: w}).Graph()
	if err == nil || !strings.Contains(err.Error(), lifnosyn.Name) {
		t.Errorf("export of a %s network: %v, want an error naming the model", lifnosyn.Name, err)
	}
}

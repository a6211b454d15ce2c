package cli

import (
	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
	"github.com/spikegrad/spikegrad/neurons/learntau"
)

// The neuron models the commands offer besides the LIF (--neuron), one
// line each: a model is its own package and a line here.
func init() {
	network.Register(lifnosyn.Neuron{})
	network.Register(adlif.Neuron{})
	network.Register(learntau.Neuron{})
	network.Register(learntau.Neuron{Gamma: true})
}

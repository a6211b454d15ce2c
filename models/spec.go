package models

import (
	"math"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
)

// Spec describes a network; it is package network's, which links no
// Gorgonia, so that run settings and records can hold one.
type Spec = network.Spec

// Regularization sets the activity regularisers: see network.Regularization.
type Regularization = network.Regularization

// DefaultGain is the default initialisation gain g (see the package doc).
const DefaultGain = network.DefaultGain

// Default returns the paper's default randman network (network.Default).
func Default() Spec { return network.Default() }

// Config returns the graph configuration of s: its decays per step, its
// surrogate, reset and recurrent gradient, and its readout.
func Config(s Spec) graph.Config {
	decay := func(tau float64) float64 { return math.Exp(-s.DT / tau) }
	return graph.Config{
		LIF: graph.LIFConfig{
			BetaSyn: decay(s.TauSyn), BetaMem: decay(s.TauMem),
			Surrogate:           s.Surrogate,
			DifferentiableReset: s.DifferentiableReset,
			RecurrentGrad:       s.RecurrentGrad,
		},
		Readout: graph.ReadoutConfig{
			BetaSyn: decay(s.TauSyn), BetaOut: decay(s.TauReadout),
			Reduction: s.Readout,
		},
	}
}

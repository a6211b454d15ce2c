package network

import (
	"fmt"
	"math"

	"github.com/spikegrad/spikegrad/surrogate"
)

// DefaultGain is the default initialisation gain g (see package models).
const DefaultGain = 5

// Spec describes a network.
type Spec struct {
	Inputs  int   // input units
	Hidden  []int // hidden layer sizes; empty for a readout on the inputs
	Outputs int   // readout units (classes)
	Steps   int   // time steps T

	Recurrent bool // all-to-all recurrent weights in every hidden layer

	// Neuron names the neuron model of every layer (see Register); empty
	// is DefaultNeuron, the LIF.
	Neuron string
	// Discretisation is the LIF's time stepping, one name for every layer
	// or one per layer with the readout last (see LayerDiscretisations);
	// empty is Paper.
	Discretisation string

	DT         float64 // time step Δt, ms
	TauMem     float64 // membrane time constant τ_mem, ms
	TauSyn     float64 // synaptic time constant τ_syn, ms
	TauReadout float64 // readout membrane time constant, ms

	Surrogate           surrogate.Surrogate
	DifferentiableReset bool // let the gradient flow through the reset
	RecurrentGrad       bool // let the gradient flow through recurrent weights
	Readout             Reduction

	Gain float64 // initialisation gain g

	Reg Regularization // activity regularisers of every hidden layer
}

// Regularization sets the activity regularisers of Zenke & Vogels (2021,
// sec. 4.2.5), applied to every hidden layer with ζ_i the spike count of
// neuron i in one trial and M the layer width:
//
//	lower: (λ_lower/M)·Σ_i relu(ν_lower − ζ_i)²
//	upper: λ_upper·relu((1/M)·Σ_i ζ_i − ν_upper)^L
//
// Both are averaged over the batch and added to the cross-entropy. A zero
// strength turns a regulariser off.
type Regularization struct {
	LowerStrength, LowerThreshold float64 // λ_lower, ν_lower
	UpperStrength, UpperThreshold float64 // λ_upper, ν_upper
	UpperExp                      int     // L ∈ {1, 2}
}

// Validate reports the first out-of-range setting, by name.
func (r Regularization) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"reg-lower-strength", r.LowerStrength}, {"reg-lower-threshold", r.LowerThreshold},
		{"reg-upper-strength", r.UpperStrength}, {"reg-upper-threshold", r.UpperThreshold}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("model: %s must be a finite number ≥ 0, got %g", f.name, f.v)
		}
	}
	if r.UpperStrength > 0 && r.UpperExp != 1 && r.UpperExp != 2 {
		return fmt.Errorf("model: reg-upper-exp must be 1 or 2, got %d", r.UpperExp)
	}
	return nil
}

// Default returns the paper's default randman network: 20 inputs, one
// hidden layer of 100 feed-forward LIF neurons, 10 outputs, T = 100 steps of
// 1 ms, τ_mem = 10 ms, τ_syn = 5 ms, τ_readout = 20 ms, SuperSpike β = 10,
// detached reset, max-over-time readout.
func Default() Spec {
	return Spec{
		Inputs: 20, Hidden: []int{100}, Outputs: 10, Steps: 100, Neuron: DefaultNeuron,
		DT: 1, TauMem: 10, TauSyn: 5, TauReadout: 20,
		Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10},
		Readout:   MaxOverTime,
		Gain:      DefaultGain,
		Reg:       Regularization{UpperExp: 2},
	}
}

// Validate reports the first setting that is out of range, by name.
func (s Spec) Validate() error {
	pos := []struct {
		name string
		v    int
	}{{"inputs", s.Inputs}, {"outputs", s.Outputs}, {"steps", s.Steps}}
	for _, p := range pos {
		if p.v <= 0 {
			return fmt.Errorf("model: %s must be ≥ 1, got %d", p.name, p.v)
		}
	}
	for i, h := range s.Hidden {
		if h <= 0 {
			return fmt.Errorf("model: hidden layer %d must have ≥ 1 neuron, got %d", i+1, h)
		}
	}
	taus := []struct {
		name string
		v    float64
	}{{"dt", s.DT}, {"tau-mem", s.TauMem}, {"tau-syn", s.TauSyn}, {"tau-readout", s.TauReadout}, {"gain", s.Gain}}
	for _, p := range taus {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("model: %s must be a positive number, got %g", p.name, p.v)
		}
	}
	if err := s.Surrogate.Validate(); err != nil {
		return fmt.Errorf("model: surrogate %v, beta %g: %w", s.Surrogate.Shape, s.Surrogate.Beta, err)
	}
	if s.Readout != MaxOverTime && s.Readout != SumOverTime {
		return fmt.Errorf("model: unknown readout %v", s.Readout)
	}
	if min := 2*len(s.Hidden) + 2; s.Steps < min {
		// Each hidden layer adds two steps of latency; with fewer steps some
		// weights could never influence the readout.
		return fmt.Errorf("model: steps must be ≥ %d for %d hidden layers, got %d", min, len(s.Hidden), s.Steps)
	}
	if err := s.Reg.Validate(); err != nil {
		return err
	}
	if s.Recurrent && len(s.Hidden) == 0 {
		return fmt.Errorf("model: recurrent needs at least one hidden layer")
	}
	if s.RecurrentGrad && !s.Recurrent {
		return fmt.Errorf("model: recurrent-grad needs recurrent")
	}
	if err := s.checkDiscretisation(); err != nil {
		return err
	}
	return s.checkNeuron()
}

// Sizes returns the layer widths from input to readout.
func (s Spec) Sizes() []int {
	sz := append([]int{s.Inputs}, s.Hidden...)
	return append(sz, s.Outputs)
}

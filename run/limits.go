package run

import (
	"fmt"
	"math"
)

// Upper bounds of the size settings. They lie far above any network or
// data set trained on one machine, and low enough that products of sizes
// cannot overflow and that a typo fails at validation, naming the setting,
// rather than in an allocation. What a run of allowed sizes costs is
// checked separately, by EstimateMemory against the machine.
const (
	MaxWidth        = 100_000   // a hidden layer's neurons; randman-units, randman-classes
	MaxLayers       = 64        // hidden layers
	MaxSteps        = 1_000_000 // time steps T
	MaxBatch        = 1_000_000 // minibatch size
	MaxMicroBatches = 1024      // parts of a minibatch, each a compiled program

	// DefaultMicroBatches is the micro-batches setting of a run that names none:
	// train.DefaultMicroBatches (package runner's tests keep them equal).
	DefaultMicroBatches = 2
	MaxEpochs           = 1_000_000   // training epochs
	MaxSamples          = 100_000_000 // randman-samples, limit, init-samples
	MaxThreads          = 4096

	// The time grid and time constants in ms: Δt from 1 µs to 10 s, time
	// constants from 1 µs to about 3 hours.
	MinDT, MaxDT   = 1e-3, 1e4
	MinTau, MaxTau = 1e-3, 1e7
	// MinDecayRatio is the smallest Δt/τ: below it the decay per step,
	// exp(−Δt/τ), is 1 in float32 and the neuron never forgets.
	MinDecayRatio = 1e-6
)

// checkBounds reports the first size or time setting outside its bounds.
func (s *Settings) checkBounds() error {
	ints := []struct {
		key       string
		v, lo, hi int
	}{
		{"epochs", s.Epochs, 1, MaxEpochs},
		{"batch", s.Batch, 1, MaxBatch},
		{"micro-batches", s.MicroBatches, 1, MaxMicroBatches},
		{"limit", s.Limit, 0, MaxSamples},
		{"threads", s.Threads, 0, MaxThreads},
		{"steps", s.Steps, 1, MaxSteps},
		{"init-samples", s.InitSamples, 1, MaxSamples},
	}
	if s.Dataset == "randman" {
		r := s.Randman
		ints = append(ints, []struct {
			key       string
			v, lo, hi int
		}{
			{"randman-classes", r.Classes, 1, MaxWidth},
			{"randman-units", r.Units, 1, MaxWidth},
			{"randman-dim", r.Dim, 1, 1000},
			{"randman-samples", r.SamplesPerClass, 1, MaxSamples},
			{"randman-train", r.TrainPerClass, 0, MaxSamples},
			{"randman-validation", r.ValidationPerClass, 0, MaxSamples},
			{"randman-window", r.Window, 1, MaxSteps},
		}...)
	}
	for _, f := range ints {
		if f.v < f.lo {
			return Invalid(f.key, "want ≥ %d, got %d", f.lo, f.v)
		}
		if f.v > f.hi {
			return Invalid(f.key, "want ≤ %d, got %d", f.hi, f.v)
		}
	}
	if len(s.Hidden) > MaxLayers {
		return Invalid("hidden", "want at most %d layers, got %d", MaxLayers, len(s.Hidden))
	}
	for i, h := range s.Hidden {
		if h > MaxWidth {
			return Invalid("hidden", "layer %d has %d neurons, want ≤ %d", i+1, h, MaxWidth)
		}
	}
	if s.Dataset == "randman" {
		r := s.Randman
		if r.Window > s.Steps {
			return Invalid("randman-window, steps", "the spike-time window of %d steps must fit in the time grid of %d steps; lower randman-window or raise steps", r.Window, s.Steps)
		}
		if r.TrainPerClass+r.ValidationPerClass > r.SamplesPerClass {
			return Invalid("randman-train, randman-validation", "%d + %d samples per class, more than randman-samples = %d",
				r.TrainPerClass, r.ValidationPerClass, r.SamplesPerClass)
		}
	}
	if !(s.DT >= MinDT && s.DT <= MaxDT) {
		return Invalid("dt", "want a time step Δt between %g and %g ms, got %g", MinDT, MaxDT, s.DT)
	}
	for _, tau := range []struct {
		key string
		v   float64
	}{{"tau-mem", s.TauMem}, {"tau-syn", s.TauSyn}, {"tau-readout", s.TauReadout}} {
		if !(tau.v >= MinTau && tau.v <= MaxTau) {
			return Invalid(tau.key, "want a time constant between %g and %g ms, got %g", MinTau, MaxTau, tau.v)
		}
		if r := s.DT / tau.v; r < MinDecayRatio {
			return fmt.Errorf("dt, %s: Δt/τ = %g/%g is below %g: the decay per step exp(−Δt/τ) would round to 1", tau.key, s.DT, tau.v, MinDecayRatio)
		}
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"beta", s.Beta}, {"gain", s.Gain}, {"lr", s.LR}, {"init-xi", s.InitXi}} {
		if math.IsInf(f.v, 0) || math.IsNaN(f.v) {
			return Invalid(f.key, "want a finite number, got %g", f.v)
		}
	}
	return nil
}

// Package papertest writes the records a reproduction would leave, with
// outcomes of the test's choosing, for the tests of paper's packages.
package papertest

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/run"
)

// Outcome is what a fake run reached.
type Outcome struct {
	Val, Test float64
	Spikes    float64   // hidden spikes per test input, all layers
	PerLayer  []float64 // hidden spikes per test input of each layer, if set (Spikes is then ignored)
	Skip      bool      // leave the run out (not yet done)
	// TestSpikes, if set, are the test split's hidden spikes per input,
	// all layers, where they differ from the validation split's (Spikes):
	// for tests that selection never reads the test split.
	TestSpikes float64
	// Final, if set, is the validation outcome of the weights at the end
	// of training where it differs from that of the best epoch (Val,
	// Spikes or PerLayer): the history's last epoch.
	Final *Final
	// FinalTest, if set, is the test outcome of the weights at the end of
	// training, written as the record's final_test; nil leaves it out, as
	// records made before it was kept do.
	FinalTest *Final
}

// Final is the outcome of a run's final weights on one split.
type Final struct {
	Val      float64   // accuracy
	PerLayer []float64 // hidden spikes per input of each layer
}

// Results writes a completed record for every run of the plan of scale,
// with the outcome that fn gives its settings, and loads them.
func Results(t *testing.T, scale paper.Scale, fn func(sweep string, s *run.Settings) Outcome) *paper.Results {
	t.Helper()
	p, err := paper.NewPlan(paper.Options{Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, b := range p.Batches {
		for _, j := range b.Jobs {
			o := fn(b.Sweep, &j.Settings)
			if o.Skip {
				continue
			}
			rec := &run.Record{Status: "completed", Settings: j.Settings, Numerics: run.Numerics,
				Data: run.DataInfo{Name: j.Settings.Dataset, Classes: 10, Steps: j.Settings.Steps}}
			perLayer := []float64{o.Spikes}
			if o.PerLayer != nil {
				perLayer = o.PerLayer
			}
			rec.Validation = metrics.Metrics{N: 100, Accuracy: o.Val, SpikesPerInput: perLayer}
			testLayers := perLayer
			if o.TestSpikes > 0 {
				testLayers = []float64{o.TestSpikes}
			}
			rec.Test = &metrics.Metrics{N: 100, Accuracy: o.Test, SpikesPerInput: testLayers}
			rec.Activity = []metrics.SpikeStats{{Neurons: 100, PerInput: o.Spikes, MaxCount: o.Spikes / 10}}
			if f := o.FinalTest; f != nil {
				rec.FinalTest = &metrics.Metrics{N: 100, Accuracy: f.Val, SpikesPerInput: f.PerLayer}
				rec.FinalActivity = []metrics.SpikeStats{{Neurons: 100, PerInput: f.PerLayer[0], MaxCount: f.PerLayer[0] / 10}}
			}
			// The best epoch is the second; the third, the last, is as
			// good unless Final says otherwise.
			rec.BestEpoch = 2
			for e := 1; e <= 3; e++ {
				val := metrics.Metrics{N: 100, Accuracy: o.Val * float64(e) / 2, SpikesPerInput: perLayer}
				switch {
				case e == 2:
					val = rec.Validation
				case e == 3 && o.Final != nil:
					val = metrics.Metrics{N: 100, Accuracy: o.Final.Val, SpikesPerInput: o.Final.PerLayer}
				case e == 3:
					val = metrics.Metrics{N: 100, Accuracy: o.Val, SpikesPerInput: perLayer}
				}
				rec.History = append(rec.History, metrics.Epoch{Epoch: e,
					Train: metrics.Metrics{Loss: 2 * (1 - o.Test) / float64(e), Accuracy: o.Test * float64(e) / 3}, Validation: val})
			}
			dir := filepath.Join(out, paper.RunsDir, b.Sweep, j.Name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := rec.Save(filepath.Join(dir, run.RecordFile)); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := paper.Load(p, out)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// PaperLike gives every run the outcome the paper reports for its
// configuration, with small differences by learning rate and seed so that
// the selection on validation is unambiguous: validation = test + 0.001.
func PaperLike(sweep string, s *run.Settings) Outcome {
	acc := 0.98
	switch {
	case len(s.Hidden) == 0:
		acc = 0.45
	case s.Surrogate == "exact":
		acc = 0.8
	case s.Beta == 0:
		acc = 0.42
	case s.Surrogate == "sigmoid" && s.Beta <= 2:
		acc = 0.6
	case s.Surrogate == "esser" && s.Beta >= 20:
		acc = 0.5
	case s.Surrogate == "asymptotic" && s.DiffReset:
		acc = 0.9 - 0.1*float64(len(s.Hidden))
	case s.Surrogate == "asymptotic" && s.RecurrentGrad:
		acc = 0.1
	}
	if s.Dataset == "mnist" {
		acc = 0.985
	}
	spikes := 50.0 * float64(len(s.Hidden))
	if s.RegUpperStrength > 0 {
		// Accuracy collapses below 30 spikes per layer.
		spikes = 100 * s.RegUpperThreshold * float64(len(s.Hidden))
		if spikes < 30*float64(len(s.Hidden)) {
			acc = 0.1 + (acc-0.1)*spikes/(30*float64(len(s.Hidden)))
		}
	}
	acc += 0.001*math.Log10(s.LR) + 0.0001*float64(s.Seed) + 0.00001*float64(s.DataSeed)
	// The final weights measure on test as the best do: records made
	// since final_test was kept.
	return Outcome{Val: acc + 0.001, Test: acc, Spikes: spikes, FinalTest: &Final{Val: acc, PerLayer: []float64{spikes}}}
}

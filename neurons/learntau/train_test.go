package learntau_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/train"
)

// lif-learn-tau starts as the settings' LIF; lif-learn-tau-gamma draws
// each neuron's τ/τ_set from Gamma(3, 1/3): mean 1, coefficient of
// variation 1/√3, every τ within the factor-ten range.
func TestInit(t *testing.T) {
	s := spec(learntau.Name, []int{2000}, false, network.MaxOverTime)
	w, err := models.Init(s, 4, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Names()[len(w.W):], []string{"theta_mem0", "theta_syn0", "theta_memout", "theta_synout"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("per-neuron parameters %v, want %v", got, want)
	}
	for i, m := range w.Neuron {
		for _, v := range m.Data().([]float64) {
			if v != 0 {
				t.Fatalf("%s: homogeneous start has θ = %v", w.Names()[len(w.W)+i], v)
			}
		}
	}
	s.Neuron = learntau.GammaName
	if w, err = models.Init(s, 4, tensor.Float64); err != nil {
		t.Fatal(err)
	}
	th := w.Neuron[0].Data().([]float64) // theta_mem0, 2000 neurons
	var sum, sq float64
	for _, v := range th {
		r := learntau.Tau(1, v)
		if !(r > 0.1 && r < 10) {
			t.Errorf("τ/τ_set = %v outside (0.1, 10)", r)
		}
		sum += r
		sq += r * r
	}
	n := float64(len(th))
	mean := sum / n
	cv := math.Sqrt(sq/n-mean*mean) / mean
	if math.Abs(mean-1) > 0.04 || math.Abs(cv-1/math.Sqrt(3)) > 0.04 {
		t.Errorf("τ/τ_set has mean %.3f and CV %.3f, want 1 and %.3f", mean, cv, 1/math.Sqrt(3))
	}
}

// Both models learn a three-class randman task, and their time constants
// move in training.
func TestTrainerLearns(t *testing.T) {
	c := randman.Default()
	c.Classes = 3
	c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 300, 240, 30
	d, err := randman.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{learntau.Name, learntau.GammaName} {
		t.Run(name, func(t *testing.T) {
			s := network.Default()
			s.Neuron = name
			s.Inputs, s.Outputs, s.Steps = d.Train.Units, d.Train.Classes, d.Train.Steps
			s.Hidden, s.Recurrent = []int{32}, true
			cfg := train.DefaultConfig()
			cfg.Epochs, cfg.Batch = 10, 40
			cfg.Optimizer = train.DefaultOptimizer(1e-2)
			res, err := train.Fit(context.Background(), s, d, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Test.Accuracy < 0.65 {
				t.Errorf("test accuracy %.3f after %d epochs, want ≥ 0.65 (chance 0.33)", res.Test.Accuracy, len(res.History))
			}
			start, err := models.Init(s, cfg.Seed, cfg.DType)
			if err != nil {
				t.Fatal(err)
			}
			moved, total, lo, hi := 0, 0, math.Inf(1), math.Inf(-1)
			for i, m := range res.Weights.Neuron {
				a, b := m.Data().([]float32), start.Neuron[i].Data().([]float32)
				for j := range a {
					total++
					if a[j] != b[j] {
						moved++
					}
					r := learntau.Tau(1, float64(a[j]))
					lo, hi = math.Min(lo, r), math.Max(hi, r)
				}
			}
			if moved < total/2 {
				t.Errorf("%d of %d time constants changed in training", moved, total)
			}
			t.Logf("test accuracy %.3f; %d of %d time constants changed, τ/τ_set now in [%.2f, %.2f]", res.Test.Accuracy, moved, total, lo, hi)
		})
	}
}

// Theta inverts Tau over the range θ reaches in training, so that an
// imported τ gives back its θ, and refuses a τ that no θ gives: beyond the
// factor of ten, non-positive or not a number.
func TestThetaInvertsTau(t *testing.T) {
	for _, theta := range []float64{-6, -2.5, -0.3, 0, 1e-9, 0.7, 3, 6} {
		got, err := learntau.Theta(20, learntau.Tau(20, theta))
		if err != nil || math.Abs(got-theta) > 1e-9*math.Max(1, math.Abs(theta)) {
			t.Errorf("θ = %g: Theta(Tau(θ)) = %v, %v", theta, got, err)
		}
	}
	for _, tau := range []float64{201, 1.99, 1e4, 0, -5, math.NaN(), math.Inf(1)} {
		if theta, err := learntau.Theta(20, tau); err == nil {
			t.Errorf("τ = %g of τ_set 20: θ = %g, want an error", tau, theta)
		}
	}
}

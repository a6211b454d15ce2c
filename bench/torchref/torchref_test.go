package torchref_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/bench/torchref"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// gradCase is one network of TestGradientsMatchTorch.
type gradCase struct {
	name string
	spec func() network.Spec
}

func small() network.Spec {
	s := network.Default()
	s.Inputs, s.Hidden, s.Outputs, s.Steps = 12, []int{16}, 5, 40
	return s
}

var gradCases = []gradCase{
	{"feedforward/max", small},
	{"feedforward/sum", func() network.Spec {
		s := small()
		s.Readout = network.SumOverTime
		return s
	}},
	{"feedforward/two-layers/regularised", func() network.Spec {
		s := small()
		s.Hidden = []int{16, 8}
		s.Reg = network.Regularization{LowerStrength: 0.5, LowerThreshold: 3, UpperStrength: 0.2, UpperThreshold: 0.5, UpperExp: 2}
		return s
	}},
	{"recurrent/max", func() network.Spec {
		s := small()
		s.Recurrent, s.DT, s.TauMem, s.TauSyn = true, 2, 20, 10
		return s
	}},
	{"recurrent/sum", func() network.Spec {
		s := small()
		s.Recurrent, s.Readout = true, network.SumOverTime
		return s
	}},
	{"recurrent/max/diff-reset/recurrent-grad", func() network.Spec {
		s := small()
		s.Recurrent, s.DifferentiableReset, s.RecurrentGrad = true, true, true
		return s
	}},
}

// Tolerances of TestGradientsMatchTorch, relative: the loss to its value,
// each entry of a gradient to the largest magnitude in its matrix.
var tolerance = map[tensor.Dtype]float64{tensor.Float32: 1e-5, tensor.Float64: 1e-12}

// randomSplit draws n samples of independent input spikes at the given
// density, labels cycling through the classes.
func randomSplit(spec network.Spec, n int, density float64, seed uint64) *datasets.Split {
	rng := rand.New(rand.NewPCG(seed, 25))
	s := &datasets.Split{Name: "train", Steps: spec.Steps, Units: spec.Inputs, Classes: spec.Outputs}
	for i := 0; i < n; i++ {
		smp := datasets.Sample{Label: i % spec.Outputs}
		for t := 0; t < spec.Steps; t++ {
			for u := 0; u < spec.Inputs; u++ {
				if rng.Float64() < density {
					smp.Events = append(smp.Events, datasets.Event{Step: int32(t), Unit: int32(u), Value: 1})
				}
			}
		}
		s.Samples = append(s.Samples, smp)
	}
	return s
}

// TestGradientsMatchTorch computes the loss and the gradient of every
// weight of small networks (feed-forward and recurrent, max and sum
// readout, the regularisers, the differentiable reset and recurrent
// gradient) with the training engine and with the PyTorch reference
// torchref.py on the same weights and batch, and compares them, in float32
// and float64. It is skipped where Python cannot import torch (CI).
func TestGradientsMatchTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("a Python cross-check: skipped with -short")
	}
	if err := torchref.Available(); err != nil {
		t.Skip(err)
	}
	const batch = 10
	worst := map[tensor.Dtype]float64{}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for k, c := range gradCases {
			t.Run(fmt.Sprintf("%v/%s", dt, c.name), func(t *testing.T) {
				spec := c.spec()
				w, err := models.Init(spec, uint64(10+k), dt)
				if err != nil {
					t.Fatal(err)
				}
				split := randomSplit(spec, batch, 0.08, uint64(k))
				idx := make([]int, batch)
				for i := range idx {
					idx[i] = i
				}
				path := filepath.Join(t.TempDir(), "problem.npz")
				cfg, err := torchref.ConfigOf(spec, dt)
				if err != nil {
					t.Fatal(err)
				}
				if err := torchref.WriteProblem(path, cfg, w, split, idx); err != nil {
					t.Fatal(err)
				}
				want, err := torchref.Grad(path, "")
				if err != nil {
					t.Fatal(err)
				}

				tr, err := train.NewTrainer(spec, batch, w, train.DefaultOptimizer(5e-3))
				if err != nil {
					t.Fatal(err)
				}
				defer tr.Close()
				m, err := tr.Backward(split, idx)
				if err != nil {
					t.Fatal(err)
				}
				for l, s := range m.SpikesPerInput {
					if s < 1 {
						t.Errorf("hidden layer %d: %g spikes per sample, want an active network", l, s)
					}
				}
				tol := tolerance[dt]
				dev := math.Abs(m.Loss-want.CE) / math.Abs(want.CE)
				if dev > tol {
					t.Errorf("cross-entropy %.10g, torch %.10g: relative deviation %.3g > %g", m.Loss, want.CE, dev, tol)
				}
				grads, err := tr.Grads()
				if err != nil {
					t.Fatal(err)
				}
				for i, name := range w.Names() {
					got := floats(grads[i])
					ref := want.Grads[name]
					if len(got) != len(ref) {
						t.Fatalf("%s: %d gradient entries, torch %d", name, len(got), len(ref))
					}
					scale := 0.0
					for _, v := range ref {
						scale = math.Max(scale, math.Abs(v))
					}
					if scale == 0 {
						t.Errorf("%s: torch's gradient is all zero", name)
						continue
					}
					d := 0.0
					for j := range got {
						d = math.Max(d, math.Abs(got[j]-ref[j])/scale)
					}
					dev = math.Max(dev, d)
					if d > tol {
						t.Errorf("%s: gradient deviates by %.3g of its largest entry (%.3g), > %g", name, d, scale, tol)
					}
				}
				t.Logf("spikes per sample %v, loss %.6g, largest relative deviation %.2g", m.SpikesPerInput, want.Loss, dev)
				worst[dt] = math.Max(worst[dt], dev)
			})
		}
	}
	t.Logf("largest relative deviation: float32 %.2g, float64 %.2g", worst[tensor.Float32], worst[tensor.Float64])
}

func floats(d *tensor.Dense) []float64 {
	switch v := d.Data().(type) {
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return v
	}
	panic(fmt.Sprintf("gradient of type %T", d.Data()))
}

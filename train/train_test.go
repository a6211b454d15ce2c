package train_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// smallRandman is a reduced randman task that trains in seconds.
func smallRandman(t *testing.T) *datasets.Data {
	t.Helper()
	c := randman.Default()
	c.Classes, c.Units, c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 5, 16, 160, 120, 20
	c.Steps, c.Window = 50, 25
	d, err := randman.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func specFor(d *datasets.Data, hidden ...int) network.Spec {
	s := network.Default()
	s.Inputs, s.Outputs, s.Steps, s.Hidden = d.Train.Units, d.Train.Classes, d.Train.Steps, hidden
	return s
}

// TestOverfitSmallBatch trains repeatedly on one batch: the loss must fall
// far below its starting value.
func TestOverfitSmallBatch(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 64)
	w, err := models.Init(spec, 3, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	s, err := train.NewTrainer(spec, 20, w, train.DefaultOptimizer(2e-2))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	idx := make([]int, 20)
	for i := range idx {
		idx[i] = i
	}
	first, err := s.Step(d.Train, idx)
	if err != nil {
		t.Fatal(err)
	}
	var last metrics.Metrics
	for i := 0; i < 150; i++ {
		if last, err = s.Step(d.Train, idx); err != nil {
			t.Fatal(err)
		}
	}
	if !(last.Loss < 0.1*first.Loss) || last.Accuracy != 1 {
		t.Errorf("after 150 steps on one batch: loss %.4f (first %.4f), accuracy %.2f; want < 10%% of first and 1.0",
			last.Loss, first.Loss, last.Accuracy)
	}
}

// TestShortTrainingBeatsChance trains a reduced randman task briefly: test
// accuracy must end far above chance (20%).
func TestShortTrainingBeatsChance(t *testing.T) {
	d := smallRandman(t)
	c := train.DefaultConfig()
	c.Epochs, c.Batch, c.Optimizer = 15, 50, train.DefaultOptimizer(1e-2)
	res, err := train.Run(context.Background(), specFor(d, 50), d, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.Test.N != d.Test.Len() {
		t.Errorf("test evaluated %d samples, split has %d", res.Test.N, d.Test.Len())
	}
	if res.Test.Accuracy < 0.6 {
		t.Errorf("test accuracy %.3f after %d epochs, want ≥ 0.6 (chance 0.2)", res.Test.Accuracy, c.Epochs)
	}
	best := res.History[res.BestEpoch-1].Validation.Accuracy
	for _, e := range res.History {
		if e.Validation.Accuracy > best {
			t.Errorf("epoch %d validation %.3f beats the kept epoch %d (%.3f)", e.Epoch, e.Validation.Accuracy, res.BestEpoch, best)
		}
	}
	t.Logf("test accuracy %.3f, best epoch %d, %.1f spikes per input", res.Test.Accuracy, res.BestEpoch, res.Test.TotalSpikes())
}

// TestEvaluatePadsLastBatch: evaluating with a batch that does not divide
// the split must give exactly the per-sample results of batch size 1.
func TestEvaluatePadsLastBatch(t *testing.T) {
	d := smallRandman(t)
	split := d.Test.Subset("test", []int{0, 1, 2, 3, 4, 5, 6})
	spec := specFor(d, 30)
	w, err := models.Init(spec, 5, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	var ms []metrics.Metrics
	for _, batch := range []int{4, 1} {
		s, err := train.NewEvaluator(spec, batch, w)
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.Evaluate(split)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	if ms[0].N != 7 || ms[1].N != 7 {
		t.Fatalf("evaluated %d and %d samples, want 7", ms[0].N, ms[1].N)
	}
	if math.Abs(ms[0].Loss-ms[1].Loss) > 1e-12 || ms[0].Accuracy != ms[1].Accuracy ||
		math.Abs(ms[0].TotalSpikes()-ms[1].TotalSpikes()) > 1e-9 {
		t.Errorf("batch 4: %+v; batch 1: %+v", ms[0], ms[1])
	}
}

// TestDivergenceStops: a non-finite loss must stop training with a message.
func TestDivergenceStops(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 10)
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	for i := range w.W[1].Data().([]float32) {
		w.W[1].Data().([]float32)[i] = float32(math.NaN())
	}
	c := train.DefaultConfig()
	c.Epochs, c.Batch, c.Init = 1, 50, w
	_, err = train.Run(context.Background(), spec, d, c)
	if err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Fatalf("want a divergence error, got %v", err)
	}
}

// TestRunIsReproducible: the same seeds give the same history, bit for bit.
func TestRunIsReproducible(t *testing.T) {
	d := smallRandman(t)
	c := train.DefaultConfig()
	c.Epochs, c.Batch = 2, 64
	var runs []*train.Result
	for i := 0; i < 2; i++ {
		r, err := train.Run(context.Background(), specFor(d, 20), d, c)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	for e := range runs[0].History {
		a, b := runs[0].History[e], runs[1].History[e]
		if a.Train.Loss != b.Train.Loss || a.Validation.Loss != b.Validation.Loss {
			t.Errorf("epoch %d differs: %v/%v vs %v/%v", e+1, a.Train.Loss, a.Validation.Loss, b.Train.Loss, b.Validation.Loss)
		}
	}
}

// TestRunRejectsBadInput covers settings and data that must give errors.
func TestRunRejectsBadInput(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 10)
	ok := train.DefaultConfig()
	ok.Epochs = 1
	cases := map[string]func() (network.Spec, *datasets.Data, train.Config){
		"zero batch":  func() (network.Spec, *datasets.Data, train.Config) { c := ok; c.Batch = 0; return spec, d, c },
		"zero epochs": func() (network.Spec, *datasets.Data, train.Config) { c := ok; c.Epochs = 0; return spec, d, c },
		"negative lr": func() (network.Spec, *datasets.Data, train.Config) {
			c := ok
			c.Optimizer.Adam.LR = -1
			return spec, d, c
		},
		"input size": func() (network.Spec, *datasets.Data, train.Config) { s := spec; s.Inputs++; return s, d, ok },
		"empty test": func() (network.Spec, *datasets.Data, train.Config) {
			e := *d
			e.Test = d.Test.Subset("test", nil)
			return spec, &e, ok
		},
		"bad label":    func() (network.Spec, *datasets.Data, train.Config) { return spec, withLabel(d, 99), ok },
		"missing data": func() (network.Spec, *datasets.Data, train.Config) { e := *d; e.Validation = nil; return spec, &e, ok },
	}
	for name, mk := range cases {
		s, data, c := mk()
		if _, err := train.Run(context.Background(), s, data, c); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func withLabel(d *datasets.Data, label int) *datasets.Data {
	e := *d
	tr := *d.Train
	tr.Samples = append([]datasets.Sample(nil), d.Train.Samples...)
	tr.Samples[rand.IntN(len(tr.Samples))].Label = label
	e.Train = &tr
	return &e
}

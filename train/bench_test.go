package train_test

import (
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// benchSession compiles the default randman network (20-100-10, T = 100,
// batch 250) on the default randman training split.
func benchSession(b *testing.B, dt tensor.Dtype) (*session, *datasets.Split, []int) {
	b.Helper()
	d, err := randman.Generate(randman.Default())
	if err != nil {
		b.Fatal(err)
	}
	spec := network.Default()
	w, err := models.Init(spec, 1, dt)
	if err != nil {
		b.Fatal(err)
	}
	s, err := newSession(spec, 250, w)
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int, 250)
	for i := range idx {
		idx[i] = i
	}
	return s, d.Train, idx
}

// BenchmarkTrainStep is one training step of the default network: forward
// pass, BPTT and Adam update of a batch of 250.
func BenchmarkTrainStep(b *testing.B) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		b.Run(dt.String(), func(b *testing.B) {
			s, split, idx := benchSession(b, dt)
			defer s.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Step(split, idx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluate is the forward pass alone over 250 samples.
func BenchmarkEvaluate(b *testing.B) {
	s, split, idx := benchSession(b, tensor.Float32)
	defer s.Close()
	sub := split.Subset("train", idx)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Evaluate(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// session is a trainer and an evaluator of one network, as the benchmarks
// use them.
type session struct {
	*train.Trainer
	ev *train.Evaluator
}

func newSession(spec network.Spec, batch int, w *models.Weights) (*session, error) {
	tr, err := train.NewTrainer(spec, batch, w, train.DefaultOptimizer(5e-3))
	if err != nil {
		return nil, err
	}
	ev, err := train.NewEvaluator(spec, batch, w)
	if err != nil {
		tr.Close()
		return nil, err
	}
	return &session{tr, ev}, nil
}

func (s *session) Evaluate(split *datasets.Split) (metrics.Metrics, error) {
	return s.ev.Evaluate(split)
}

func (s *session) Close() {
	s.Trainer.Close()
	s.ev.Close()
}

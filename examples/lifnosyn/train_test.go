package lifnosyn_test

import (
	"context"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// The Trainer learns a three-class randman task with the model, and
// the evaluation sees its hidden neurons spike.
func TestTrainerLearns(t *testing.T) {
	c := randman.Default()
	c.Classes = 3
	c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 300, 240, 30
	d, err := randman.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	s := network.Default()
	s.Neuron = lifnosyn.Name
	s.Inputs, s.Outputs, s.Steps = d.Train.Units, d.Train.Classes, d.Train.Steps
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.Batch = 20, 40
	cfg.Optimizer = train.DefaultOptimizer(1e-2)
	cfg.Fluctuation = &train.Fluctuation{Xi: 2, Samples: 256} // through the model's Kernel
	res, err := train.Run(context.Background(), s, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Test.Accuracy < 0.65 {
		t.Errorf("test accuracy %.3f after %d epochs, want ≥ 0.65 (chance 0.33)", res.Test.Accuracy, len(res.History))
	}
	if res.TestActivity[0].PerInput == 0 {
		t.Error("no hidden spike on the test split")
	}
	t.Logf("test accuracy %.3f, %.1f hidden spikes per input", res.Test.Accuracy, res.TestActivity[0].PerInput)
}

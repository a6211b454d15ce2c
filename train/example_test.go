package train_test

import (
	"context"
	"fmt"
	"log"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// ExampleRun trains the paper's default network, one hidden layer of 100
// LIF neurons with SuperSpike (β = 10), on a three-class randman task, and
// reports the test accuracy of the weights that did best on validation.
// The exact numbers may depend on the thread count (see the package
// comment), so the example prints what does not.
func ExampleRun() {
	c := randman.Default()
	c.Classes = 3
	c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 300, 240, 30
	d, err := randman.Generate(c)
	if err != nil {
		log.Fatal(err)
	}
	spec := network.Default()
	spec.Inputs, spec.Outputs, spec.Steps = d.Train.Units, d.Train.Classes, d.Train.Steps

	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.Batch = 20, 40
	cfg.Optimizer = train.DefaultOptimizer(1e-2)
	// Weights scaled so that the membrane potentials start two standard
	// deviations below threshold, measured on 256 training samples.
	cfg.Fluctuation = &train.Fluctuation{Xi: 2, Samples: 256}
	res, err := train.Run(context.Background(), spec, d, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d epochs trained; the weights kept are from one of them: %t\n", len(res.History), res.BestEpoch >= 1)
	fmt.Printf("%d test samples, accuracy above 90 %%: %t (chance: 33 %%)\n", res.Test.N, res.Test.Accuracy > 0.9)
	fmt.Printf("hidden spikes per test input above zero: %t\n", res.TestActivity[0].PerInput > 0)
	// Output:
	// 20 epochs trained; the weights kept are from one of them: true
	// 90 test samples, accuracy above 90 %: true (chance: 33 %)
	// hidden spikes per test input above zero: true
}

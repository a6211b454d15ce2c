package train_test

import (
	"context"
	"fmt"
	"log"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// ExampleLoss trains on a loss of one's own: here the squared distance of
// the readout's last potential to the targets, added to the default loss
// (the cross-entropy with the spec's regularisers). The Trainer builds
// the loss in each of its programs; MeanOverSamples leaves the padding
// rows of a batch's last part out of the mean.
func ExampleLoss() {
	c := randman.Default()
	c.Classes = 3
	c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 100, 80, 10
	d, err := randman.Generate(c)
	if err != nil {
		log.Fatal(err)
	}
	spec := network.Default()
	spec.Inputs, spec.Outputs, spec.Steps = d.Train.Units, d.Train.Classes, d.Train.Steps

	lastPotential := func(in train.LossInputs) (*G.Node, error) {
		last := in.Potentials[len(in.Potentials)-1]
		diff, err := G.Sub(last, in.Targets)
		if err != nil {
			return nil, err
		}
		sq, err := G.Square(diff)
		if err != nil {
			return nil, err
		}
		perSample, err := G.Sum(sq, 1)
		if err != nil {
			return nil, err
		}
		mse, err := train.MeanOverSamples(perSample, in.Mask)
		if err != nil {
			return nil, err
		}
		return G.Add(in.Default, mse)
	}
	cfg := train.DefaultConfig()
	cfg.Epochs, cfg.Batch, cfg.Loss = 5, 50, lastPotential
	cfg.Optimizer = train.DefaultOptimizer(1e-2)
	res, err := train.Run(context.Background(), spec, d, cfg)
	if err != nil {
		log.Fatal(err)
	}
	first, last := res.History[0].Train.Loss, res.History[len(res.History)-1].Train.Loss
	fmt.Printf("the cross-entropy fell while training on the combined loss: %t\n", last < first)
	// Output:
	// the cross-entropy fell while training on the combined loss: true
}

// ExampleBatcher fills the input values of a batch from a split: one
// lif.Events per time step, holding the input spikes of the batch's rows,
// and the one-hot targets; rows after the samples are padding.
func ExampleBatcher() {
	c := randman.Default()
	c.Classes, c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 2, 10, 8, 1
	d, err := randman.Generate(c)
	if err != nil {
		log.Fatal(err)
	}
	s := d.Train
	b, err := train.NewBatcher(s.Steps, 4, s.Units, s.Classes, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	if err := b.Fill(s, []int{0, 1, 2}); err != nil { // three samples, one padding row
		log.Fatal(err)
	}
	events := 0
	for _, in := range b.Inputs() {
		events += in.Len()
	}
	fmt.Printf("%d steps of [%d, %d] inputs, %d spikes in all\n", len(b.Inputs()), b.Inputs()[0].Shape()[0], b.Inputs()[0].Shape()[1], events)
	fmt.Printf("targets %v, padding row %v\n", b.Targets().Shape(), b.Targets().Float32s()[3*s.Classes:])
	fmt.Printf("step 0 as a dense matrix: %v\n", b.Dense(0).Shape())
	// Output:
	// 100 steps of [4, 20] inputs, 60 spikes in all
	// targets (4, 2), padding row [0 0]
	// step 0 as a dense matrix: (4, 20)
}

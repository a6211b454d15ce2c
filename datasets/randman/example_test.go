package randman_test

import (
	"fmt"
	"log"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/randman"
)

// ExampleGenerate generates a smaller variant of the paper's default
// randman data set and shows its shape and the spikes of one sample.
func ExampleGenerate() {
	c := randman.Default()
	c.Classes = 3
	c.SamplesPerClass, c.TrainPerClass, c.ValidationPerClass = 100, 80, 10
	d, err := randman.Generate(c)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		fmt.Printf("%-10s %3d samples, %d units, %d steps, %d classes\n", s.Name, s.Len(), s.Units, s.Steps, s.Classes)
	}

	// Every unit fires exactly once, inside the first Window steps; the
	// events are sorted by time, so the last one is the latest spike.
	smp := d.Train.Samples[0]
	last := smp.Events[len(smp.Events)-1]
	fmt.Printf("sample 0: class %d, %d spikes, all before step %d: %t\n",
		smp.Label, len(smp.Events), c.Window, int(last.Step) < c.Window)
	// Output:
	// train      240 samples, 20 units, 100 steps, 3 classes
	// validation  30 samples, 20 units, 100 steps, 3 classes
	// test        30 samples, 20 units, 100 steps, 3 classes
	// sample 0: class 1, 20 spikes, all before step 50: true
}

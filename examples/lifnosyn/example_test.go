package lifnosyn_test

import (
	"fmt"
	"log"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// Example trains the paper's default network with the model instead of
// the LIF: register it (once; this package's tests do it in an init
// function, network.Register(lifnosyn.Neuron{})), name it in the spec,
// and train it as any other.
func Example() {
	d, err := randman.Generate(randman.Default())
	if err != nil {
		log.Fatal(err)
	}
	s := network.Default()
	s.Neuron = lifnosyn.Name
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	// The paper's gain leaves this model silent on randman: scale the
	// weights to the data instead, through the model's PSP kernel.
	if err := train.FluctuationInit(s, w, d.Train, 2, 0, 256, 1); err != nil {
		log.Fatal(err)
	}
	tr, err := train.NewTrainer(s, 250, w, train.DefaultOptimizer(5e-3))
	if err != nil {
		log.Fatal(err)
	}
	defer tr.Close()
	idx := make([]int, 250)
	for i := range idx {
		idx[i] = i
	}
	first, err := tr.Step(d.Train, idx)
	if err != nil {
		log.Fatal(err)
	}
	var last float64
	for range 20 {
		m, err := tr.Step(d.Train, idx)
		if err != nil {
			log.Fatal(err)
		}
		last = m.Loss
	}
	fmt.Println("weights:", w.Names())
	fmt.Println("the loss fell over 20 steps:", last < first.Loss)
	// Output:
	// weights: [W0 Wout]
	// the loss fell over 20 steps: true
}

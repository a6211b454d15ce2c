package models_test

import (
	"fmt"
	"log"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// ExampleInit draws the weights of a recurrent network with two hidden
// layers and lists them in the layout checkpoints store: [fan_in, fan_out]
// matrices, W0 … Wout feed-forward, then one V per hidden layer.
func ExampleInit() {
	spec := network.Default()
	spec.Hidden, spec.Recurrent = []int{100, 50}, true
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	for i, name := range w.Names() {
		fmt.Println(name, w.All()[i].Shape())
	}
	// Output:
	// W0 (20, 100)
	// W1 (100, 50)
	// Wout (50, 10)
	// V0 (100, 100)
	// V1 (50, 50)
}

// ExampleNew builds the graph of the default network for batches of 250:
// one input node per time step, the weight nodes to train, and the loss.
func ExampleNew() {
	spec := network.Default()
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		log.Fatal(err)
	}
	m, err := models.New(spec, 250, w)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("input %v, %d steps of %v, targets %v\n", m.Input.Shape(), len(m.Inputs), m.Inputs[0].Shape(), m.Targets.Shape())
	fmt.Printf("%d weights to learn, scalar loss: %t\n", len(m.Learnables()), m.Loss.IsScalar())
	// Output:
	// input (25000, 20), 100 steps of (250, 20), targets (250, 10)
	// 2 weights to learn, scalar loss: true
}

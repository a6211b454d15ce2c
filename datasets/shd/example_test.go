package shd_test

import (
	"fmt"
	"log"
	"os"

	"github.com/spikegrad/spikegrad/datasets/shd"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
)

// ExampleLoadWithStats loads a folder laid out as the published Spiking
// Heidelberg Digits (shd_train.h5, shd_test.h5; here small synthetic files
// in that layout, since the real ones are a download): spike times binned
// at Δt over T steps, the validation split drawn from the training file,
// and how many spikes fell outside the window.
func ExampleLoadWithStats() {
	dir, err := os.MkdirTemp("", "shd-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := synthetic.WriteSHD(dir, 100, 40, 1); err != nil {
		log.Fatal(err)
	}

	c := shd.Default()
	c.Dir = dir
	d, st, err := shd.LoadWithStats(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Δt = %g ms, T = %d steps, %d channels, %d classes\n", c.DT, c.Steps, c.Units, c.Classes)
	fmt.Printf("train %d, validation %d, test %d samples\n", d.Train.Len(), d.Validation.Len(), d.Test.Len())
	fmt.Printf("spike times stored in %d bytes; spikes after the window: %d\n", st.Train.TimeBytes, st.Train.Dropped+st.Test.Dropped)
	// Output:
	// Δt = 2 ms, T = 400 steps, 700 channels, 20 classes
	// train 90, validation 10, test 40 samples
	// spike times stored in 2 bytes; spikes after the window: 0
}

package cochlea_test

import (
	"fmt"
	"log"
	"math"

	"github.com/spikegrad/spikegrad/datasets/cochlea"
)

// ExampleEncoder_Encode turns a 440 Hz tone of half a second into spikes
// of the 700 channels and finds the channel that fires most: the one
// tuned nearest the tone.
func ExampleEncoder_Encode() {
	const rate = 16000
	x := make([]float64, rate/2)
	for i := range x {
		x[i] = 0.1 * math.Sin(2*math.Pi*440*float64(i)/rate)
	}
	e, err := cochlea.New(cochlea.Default())
	if err != nil {
		log.Fatal(err)
	}
	s, err := e.Encode(x, rate)
	if err != nil {
		log.Fatal(err)
	}
	count := map[uint16]int{}
	busiest := uint16(0)
	for _, u := range s.Units {
		count[u]++
		if count[u] > count[busiest] {
			busiest = u
		}
	}
	cf := cochlea.Default().CentreFrequencies()
	fmt.Printf("busiest channel tuned to %.0f Hz\n", math.Round(cf[busiest]/10)*10)
	// Output: busiest channel tuned to 450 Hz
}

package datasets_test

import (
	"fmt"

	"github.com/spikegrad/spikegrad/datasets"
)

// A split of two samples on a grid of 3 steps and 2 units: Raster turns the
// events of a sample into the dense input a network reads, adding events
// that share a step and unit.
func ExampleSplit_Raster() {
	s := &datasets.Split{Name: "train", Steps: 3, Units: 2, Classes: 2, Samples: []datasets.Sample{
		{Label: 0, Events: []datasets.Event{{Step: 0, Unit: 1, Value: 1}, {Step: 2, Unit: 0, Value: 1}}},
		{Label: 1, Events: []datasets.Event{{Step: 1, Unit: 0, Value: 0.5}, {Step: 1, Unit: 0, Value: 0.25}}},
	}}
	if err := s.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	raster := make([]float64, s.Steps*s.Units)
	for i := range s.Len() {
		s.Raster(i, raster)
		fmt.Println(s.Samples[i].Label, raster)
	}
	// Output:
	// 0 [0 1 0 0 1 0]
	// 1 [0 0 0.75 0 0 0]
}

// SplitOff carves a validation split out of a training split by a seeded
// shuffle; the same seed always gives the same division.
func ExampleSplit_SplitOff() {
	s := &datasets.Split{Name: "train", Steps: 1, Units: 1, Classes: 1, Samples: make([]datasets.Sample, 10)}
	val, train, err := s.SplitOff(0.2, 1, "validation", "train")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(val.Name, val.Len(), train.Name, train.Len())
	// Output:
	// validation 2 train 8
}

func ExampleData_Validate() {
	split := func(name string, units int) *datasets.Split {
		return &datasets.Split{Name: name, Steps: 4, Units: units, Classes: 2}
	}
	d := &datasets.Data{Name: "toy", Train: split("train", 3), Validation: split("validation", 3), Test: split("test", 5)}
	fmt.Println(d.Validate())
	// Output:
	// datasets: toy: split "test" has grid 4×5 with 2 classes, train has 4×3 with 2
}

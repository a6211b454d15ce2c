package catalog

import (
	"context"
	"fmt"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/run"
)

// randmanEventBytes is the memory of one input spike of a randman sample,
// measured with /usr/bin/time on runs from 89 MiB to 910 MiB and rounded
// up.
const randmanEventBytes = 48

func randmanSet() run.DataSet {
	return run.DataSet{
		Name:     "randman",
		Sizes:    func(s *run.Settings) (int, int) { return s.Randman.Units, s.Randman.Classes },
		Validate: func(s *run.Settings) error { return randmanConfig(s).Validate() },
		Load: func(_ context.Context, s *run.Settings) (*datasets.Data, error) {
			return randman.Generate(randmanConfig(s))
		},
		// The estimate counts one input spike per unit and sample.
		Memory: func(s *run.Settings) int64 {
			r := s.Randman
			return saturate(float64(r.Classes) * float64(r.SamplesPerClass) * float64(r.Units) * randmanEventBytes)
		},
		MemoryCause: func(s *run.Settings) (string, string) {
			r := s.Randman
			return fmt.Sprintf("randman %d classes × %d samples × %d units", r.Classes, r.SamplesPerClass, r.Units),
				"randman-samples, randman-classes or randman-units"
		},
	}
}

// randmanConfig is the generator's configuration of s.
func randmanConfig(s *run.Settings) randman.Config {
	r := s.Randman
	return randman.Config{Classes: r.Classes, Dim: r.Dim, Alpha: r.Alpha, Units: r.Units,
		SamplesPerClass: r.SamplesPerClass, TrainPerClass: r.TrainPerClass, ValidationPerClass: r.ValidationPerClass,
		Window: r.Window, Steps: s.Steps, Seed: s.DataSeed}
}

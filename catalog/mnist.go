package catalog

import (
	"context"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/mnist"
	"github.com/spikegrad/spikegrad/run"
)

func mnistSet() run.DataSet {
	return run.DataSet{
		Name:  "mnist",
		Sizes: func(*run.Settings) (int, int) { return 28 * 28, 10 },
		Load: func(_ context.Context, s *run.Settings) (*datasets.Data, error) {
			c := mnist.Default()
			c.Dir, c.Steps, c.DT, c.ValidationFraction, c.Seed = s.DataDir, s.Steps, s.DT, s.ValidationFraction, s.DataSeed
			return mnist.Load(c)
		},
		Memory:      func(*run.Settings) int64 { return 70_000 * 28 * 28 * 4 },
		Validations: []string{"random"},
	}
}

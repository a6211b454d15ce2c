package samples

import (
	"context"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// Activity is what a trained network does on its test split (paper
// Fig. 8).
type Activity struct {
	// Counts are every hidden neuron's spike count in every trial, first
	// hidden layer.
	Counts []float64
	// Snapshots are the network's activity on the first four test samples.
	Snapshots []metrics.Snapshot
	DT        float64 // ms per step
	// Test and Layers are the metrics and the activity of every hidden
	// layer on the test split, measured in the same pass.
	Test   metrics.Metrics
	Layers []metrics.SpikeStats
}

// Evaluate runs checkpoint ck on its test split.
func Evaluate(ctx context.Context, ck string) (*Activity, error) {
	c, err := runner.LoadCheckpoint(ck)
	if err != nil {
		return nil, err
	}
	s := c.Settings
	d, err := s.LoadData(ctx)
	if err != nil {
		return nil, err
	}
	spec, err := s.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		return nil, err
	}
	ev, err := train.NewEvaluator(spec, min(250, d.Test.Len()), c.Weights)
	if err != nil {
		return nil, err
	}
	defer ev.Close()
	a := &Activity{DT: s.DT}
	a.Test, a.Layers, err = ev.Measure(d.Test, func(o train.Output) {
		if len(o.Counts) > 0 {
			a.Counts = append(a.Counts, o.Counts[0]...)
		}
	})
	if err != nil {
		return nil, err
	}
	idx := []int{0, 1, 2, 3}[:min(4, d.Test.Len())]
	if a.Snapshots, err = ev.Snapshots(d.Test, idx); err != nil {
		return nil, err
	}
	return a, nil
}

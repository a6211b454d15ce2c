package train_test

import (
	"context"
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// TestFinalWeightsAreMeasuredOnTest: a run's result holds the test
// metrics of the weights at the end of training beside those of the
// best epoch's, each what an evaluator of those weights measures. The
// run here is one whose best epoch is not its last, so the two differ:
// after five epochs its rate is raised until it unlearns.
func TestFinalWeightsAreMeasuredOnTest(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 50)
	c := train.DefaultConfig()
	c.Epochs, c.Batch, c.Optimizer = 8, 50, train.DefaultOptimizer(1e-2)
	steps := d.Train.Len() / c.Batch
	c.Optimizer.Schedule = func(t int) float64 {
		if t > 5*steps {
			return 0.3
		}
		return 1e-2
	}
	var final *models.Weights
	c.OnEpoch = func(p train.Progress) error {
		final = p.Weights.Clone()
		return nil
	}
	res, err := train.Fit(context.Background(), spec, d, c)
	if err != nil {
		t.Fatal(err)
	}
	if res.BestEpoch == len(res.History) {
		t.Fatalf("best epoch %d of %d is the last: the case tests nothing", res.BestEpoch, len(res.History))
	}
	for _, c := range []struct {
		what string
		w    *models.Weights
		got  metrics.Metrics
		act  []metrics.SpikeStats
	}{{"best", res.Weights, res.Test, res.TestActivity}, {"final", final, res.FinalTest, res.FinalActivity}} {
		want, act := measureOn(t, spec, c.w, d.Test)
		if c.got.N != d.Test.Len() || c.got.Accuracy != want.Accuracy || math.Abs(c.got.Loss-want.Loss) > 1e-9 ||
			c.got.TotalSpikes() != want.TotalSpikes() || len(c.act) != 1 || c.act[0].MaxCount != act[0].MaxCount {
			t.Errorf("%s weights: result %+v (max count %v), an evaluator of them %+v (%v)", c.what, c.got, c.act, want, act[0].MaxCount)
		}
	}
	if res.FinalTest.Loss == res.Test.Loss {
		t.Errorf("final and best weights measure alike: %+v", res.Test)
	}
}

func measureOn(t *testing.T, spec network.Spec, w *models.Weights, split *datasets.Split) (metrics.Metrics, []metrics.SpikeStats) {
	t.Helper()
	ev, err := train.NewEvaluator(spec, 50, w)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	m, act, err := ev.Measure(split, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m, act
}

package train_test

import (
	"context"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/train"
)

// Item 10 of issue 13: a learning rate of 1e6 (or 1e30) trained to chance
// with losses in the thousands and weights of 1e7, and ended without a
// word; only at 1e38 did the loss overflow. The divergence rule now stops
// such a run in its first batches, with a message that says why.
func TestDivergenceRuleCatchesBlowUps(t *testing.T) {
	d := smallRandman(t)
	for _, lr := range []float64{1e6, 1e30, 50} {
		c := train.DefaultConfig()
		c.Epochs, c.Batch, c.Optimizer = 3, 60, train.DefaultOptimizer(lr)
		epochs := 0
		c.OnEpoch = func(train.Progress) error { epochs++; return nil }
		_, err := train.Run(context.Background(), specFor(d, 20), d, c)
		if err == nil || !strings.Contains(err.Error(), "training diverged") || !strings.Contains(err.Error(), "times its starting") {
			t.Errorf("lr %g: %v, want the divergence rule to stop it", lr, err)
			continue
		}
		if lr >= 1e6 && (epochs != 0 || !strings.Contains(err.Error(), "epoch 1: batch ")) {
			t.Errorf("lr %g: stopped after %d epochs (%v), want within epoch 1", lr, epochs, err)
		}
	}
}

// A run that blows up in its third epoch stops there: the epochs before
// were reported (and saved by the caller), the broken one is not.
func TestDivergenceKeepsEarlierEpochs(t *testing.T) {
	d := smallRandman(t)
	c := train.DefaultConfig()
	c.Epochs, c.Batch = 5, 60
	perEpoch := (d.Train.Len() + c.Batch - 1) / c.Batch
	c.Optimizer = train.Optimizer{Adam: train.Adam{LR: 1e-3}, Schedule: func(step int) float64 {
		if step > 2*perEpoch+1 {
			return 1e4
		}
		return 1e-3
	}}
	var got []int
	c.OnEpoch = func(p train.Progress) error { got = append(got, p.Epoch.Epoch); return nil }
	_, err := train.Run(context.Background(), specFor(d, 20), d, c)
	if err == nil || !strings.Contains(err.Error(), "epoch 3: batch ") || !strings.Contains(err.Error(), "diverged") {
		t.Fatalf("want a divergence in epoch 3, got %v", err)
	}
	if len(got) != 2 {
		t.Errorf("epochs reported: %v, want 1 and 2", got)
	}
}

// The rule leaves a normal run alone, and can be turned off.
func TestDivergenceRuleOff(t *testing.T) {
	d := smallRandman(t)
	c := train.DefaultConfig()
	c.Epochs, c.Batch, c.Optimizer = 1, 60, train.DefaultOptimizer(1e6)
	c.Divergence = train.Divergence{LossFactor: -1, WeightFactor: -1}
	if _, err := train.Run(context.Background(), specFor(d, 20), d, c); err != nil && strings.Contains(err.Error(), "times its starting") {
		t.Errorf("rule off: %v", err)
	}
}

// Issue 23, item 16: with a solver of one's own the hint read "try a
// smaller learning rate than 0", Adam's unset rate; with a schedule it
// named Adam's starting rate, not the one that blew up.
func TestDivergenceHintNamesNoRateItDoesNotKnow(t *testing.T) {
	d := smallRandman(t)
	for name, opt := range map[string]train.Optimizer{
		"solver":   {Solver: G.NewVanillaSolver(G.WithLearnRate(1e6))},
		"schedule": {Adam: train.Adam{LR: 1e-3}, Schedule: func(int) float64 { return 1e6 }},
	} {
		c := train.DefaultConfig()
		c.Epochs, c.Batch, c.Optimizer = 2, 60, opt
		_, err := train.Run(context.Background(), specFor(d, 20), d, c)
		if err == nil || !strings.Contains(err.Error(), "diverged") || !strings.Contains(err.Error(), "try a smaller learning rate") || strings.Contains(err.Error(), "learning rate than") {
			t.Errorf("%s: %v; want the hint without a rate", name, err)
		}
	}
}

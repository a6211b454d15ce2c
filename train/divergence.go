package train

import (
	"fmt"
	"math"

	"github.com/spikegrad/spikegrad/models"
)

// Divergence sets the rule that stops a training run that is blowing up,
// long before its numbers overflow: after every training batch, the run
// stops with an error when
//
//   - the batch's mean cross-entropy exceeds LossFactor times its starting
//     value (the first batch's loss, or the loss of guessing, ln(classes),
//     if that is larger); with a loss of the caller's own (Config.Loss),
//     when that loss's magnitude exceeds LossFactor times its first
//     batch's (no rule while that is 0), or
//   - the largest weight magnitude of a matrix exceeds WeightFactor times
//     its value at the start of the run (at least 0.01).
//
// A loss or weight that is NaN or infinite always stops the run. The
// references are kept in State, so a resumed run applies the same rule.
type Divergence struct {
	LossFactor   float64 // 0: 10; negative: no loss rule
	WeightFactor float64 // 0: 1000; negative: no weight rule
}

// Watch is what the divergence rule compares with: the loss of the first
// training batch and the largest weight magnitude of every matrix at the
// start of the run. The zero value is filled in by the first batch.
type Watch struct {
	FirstLoss   float64   `json:"first_loss,omitempty"`
	WeightScale []float64 `json:"weight_scale,omitempty"`
}

// watcher applies a Divergence rule.
type watcher struct {
	rule  Divergence
	floor float64 // the least starting loss: ln(classes) for the cross-entropy
	lr    float64 // the learning rate, for the hint; 0 if unknown
	w     Watch
}

func newWatcher(rule Divergence, floor float64, lr float64, w *models.Weights, from *Watch) *watcher {
	if rule.LossFactor == 0 {
		rule.LossFactor = 10
	}
	if rule.WeightFactor == 0 {
		rule.WeightFactor = 1000
	}
	wt := &watcher{rule: rule, floor: floor, lr: lr}
	if from != nil {
		wt.w = Watch{FirstLoss: from.FirstLoss, WeightScale: append([]float64(nil), from.WeightScale...)}
	}
	if len(wt.w.WeightScale) != len(w.All()) {
		wt.w.WeightScale = nil
		for _, m := range w.All() {
			wt.w.WeightScale = append(wt.w.WeightScale, maxAbs(m.Data()))
		}
	}
	return wt
}

// check applies the rule after a batch with mean loss loss and weights w.
func (wt *watcher) check(loss float64, w *models.Weights) error {
	hint := "try a smaller learning rate"
	if wt.lr > 0 {
		hint += fmt.Sprintf(" than %g", wt.lr)
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fmt.Errorf("training diverged: the loss is %v (%s)", loss, hint)
	}
	if wt.w.FirstLoss == 0 {
		wt.w.FirstLoss = loss
	}
	if f := wt.rule.LossFactor; f > 0 {
		ref := math.Max(math.Abs(wt.w.FirstLoss), wt.floor)
		if ref > 0 && math.Abs(loss) > f*ref {
			return fmt.Errorf("training diverged: the loss %.4g is more than %g times its starting value %.4g (%s)", loss, f, ref, hint)
		}
	}
	if f := wt.rule.WeightFactor; f > 0 {
		for i, m := range w.All() {
			ref := math.Max(wt.w.WeightScale[i], 0.01)
			if a := maxAbs(m.Data()); a > f*ref || math.IsNaN(a) {
				return fmt.Errorf("training diverged: the largest weight of %s is %.4g, more than %g times its starting %.4g (%s)",
					w.Names()[i], a, f, ref, hint)
			}
		}
	}
	return nil
}

// maxAbs returns the largest magnitude in data, NaN if it holds one.
func maxAbs(data any) float64 {
	m := 0.0
	switch d := data.(type) {
	case []float32:
		for _, v := range d {
			a := math.Abs(float64(v))
			if a > m || a != a {
				m = a
			}
		}
	case []float64:
		for _, v := range d {
			a := math.Abs(v)
			if a > m || a != a {
				m = a
			}
		}
	}
	return m
}

package findings

import (
	"math"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// TestRandmanTransitionsDiffer: transitions all far below the paper's are
// explained by the accuracy the fits keep at the fewest spikes; others are
// only said to be off.
func TestRandmanTransitionsDiffer(t *testing.T) {
	fit := func(transition, below float64) *spikeFit {
		return &spikeFit{SpikeFit: report.SpikeFit{Sigmoid: report.Sigmoid{A: below, B: 0.99, C: math.Log(transition), D: 0.5}}}
	}
	got := randmanTransitionsDiffer(fit(6, 0.32), fit(32, 0.15), fit(5, 0.35))
	for _, want := range []string{"ours need fewer spikes", "32 % (FF) and 35 % (RC)", "starts at 15 % and rises at 32 spikes"} {
		if !strings.Contains(got, want) {
			t.Errorf("low transitions: %q lacks %q", got, want)
		}
	}
	if got := randmanTransitionsDiffer(fit(100, 0.1), fit(200, 0.1), fit(60, 0.1)); got != "a transition is off by more than a factor 2" {
		t.Errorf("high transitions: %q", got)
	}
	if got := randmanTransitionsDiffer(nil, fit(32, 0.15), fit(5, 0.35)); got != "a transition is off by more than a factor 2" {
		t.Errorf("a missing fit: %q", got)
	}
}

// TestFig9FinalWeights: Fig. 9 plots the networks as trained, the weights
// at the end of training that the regulariser shaped, not those of the
// epoch best on validation. Each point's accuracy and spike count are
// those of the final weights on the test split (the record's final_test)
// when every record has them; when one lacks them (records made before
// they were kept), every point is of the validation split, the history's
// last epoch, so that no figure mixes the splits.
func TestFig9FinalWeights(t *testing.T) {
	for _, c := range []struct {
		lacking bool // a record without final_test
		want    report.Split
	}{{false, report.OnTest}, {true, report.OnValidation}} {
		r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
			o := papertest.PaperLike(sw, s)
			if strings.HasPrefix(sw, "fig9-") {
				// A run that never learns: its best epoch is an early,
				// busy one; at the end it is nearly silent, layer 2
				// quiet. On test its final weights fire 0.2 spikes more
				// and score 0.01 less than on validation.
				val := make([]float64, len(s.Hidden))
				val[0] = 0.5 + s.RegUpperThreshold
				test := append([]float64(nil), val...)
				test[0] += 0.2
				o.Final = &papertest.Final{Val: 0.1 + s.RegUpperThreshold/10, PerLayer: val}
				o.FinalTest = &papertest.Final{Val: 0.09 + s.RegUpperThreshold/10, PerLayer: test}
				if c.lacking && s.RegUpperThreshold == 0.5 {
					o.FinalTest = nil
				}
			}
			return o
		})
		panels, keys, on := r.fig9Panels()
		if len(panels) == 0 {
			t.Fatal("no Fig. 9 panels")
		}
		if on != c.want {
			t.Errorf("a record without final_test: %v; split %s, want %s", c.lacking, on, c.want)
		}
		// Final spikes are 0.5 + ν and accuracy 0.1 + ν/10 on validation;
		// 0.7 + ν and 0.09 + ν/10 on test.
		base, acc := 0.5, 0.1
		if c.want == report.OnTest {
			base, acc = 0.7, 0.09
		}
		for i, pn := range panels {
			if !strings.Contains(pn.YLabel, string(c.want)) {
				t.Errorf("%v: axis %q does not name the %s split", keys[i], pn.YLabel, c.want)
			}
			for _, g := range pn.Groups {
				for k, sp := range g.Spikes {
					nu := sp - base
					if nu < 0 || nu > 1 || math.Abs(g.Acc[k]-(acc+nu/10)) > 1e-9 {
						t.Fatalf("%v %s: point %d at %.3f spikes, accuracy %.3f: not the final weights' on %s (%.1f + ν spikes, %.2f + ν/10)",
							keys[i], g.Label, k, sp, g.Acc[k], c.want, base, acc)
					}
				}
			}
		}
	}
}

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
// at the end of training that the regulariser shaped, so each point's
// accuracy and spike count are those of the last epoch (measured on the
// validation split, the only split the records measure those weights
// on), not those of the epoch best on validation.
func TestFig9FinalWeights(t *testing.T) {
	r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
		o := papertest.PaperLike(sw, s)
		if strings.HasPrefix(sw, "fig9-") {
			// A run that never learns: its best epoch is an early,
			// busy one; at the end it is nearly silent, layer 2 quiet.
			layers := make([]float64, len(s.Hidden))
			layers[0] = 0.5 + s.RegUpperThreshold
			o.Final = &papertest.Final{Val: 0.1 + s.RegUpperThreshold/10, PerLayer: layers}
		}
		return o
	})
	panels, keys := r.fig9Panels()
	if len(panels) == 0 {
		t.Fatal("no Fig. 9 panels")
	}
	for i, pn := range panels {
		for _, g := range pn.Groups {
			for k, sp := range g.Spikes {
				// Final spikes are 0.5 + ν; accuracy 0.1 + ν/10.
				nu := sp - 0.5
				if nu < 0 || nu > 1 || math.Abs(g.Acc[k]-(0.1+nu/10)) > 1e-9 {
					t.Fatalf("%v %s: point %d at %.3f spikes, accuracy %.3f: not the last epoch's (0.5 + ν spikes, 0.1 + ν/10)", keys[i], g.Label, k, sp, g.Acc[k])
				}
			}
		}
	}
}

package findings

import (
	"math"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report"
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

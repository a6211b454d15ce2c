package findings

import (
	"context"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
	"github.com/spikegrad/spikegrad/run"
)

// TestFig5dRestsOnADR: the paper's Fig. 5d says aDR's impairment is
// amplified in deeper networks. A gap to aCtl that grows only because
// aCtl improves with depth, aDR flat, does not show that; aDR falling
// with depth does.
func TestFig5dRestsOnADR(t *testing.T) {
	for _, c := range []struct {
		name string
		adr  func(layers int) float64
		ok   bool
	}{
		{"aDR flat, aCtl rising", func(int) float64 { return 0.75 }, false},
		{"aDR falling", func(l int) float64 { return 0.9 - 0.1*float64(l) }, true},
	} {
		r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
			o := papertest.PaperLike(sw, s)
			if sw == "fig5-reset" && s.Surrogate == "asymptotic" {
				acc := 0.93 + 0.02*float64(len(s.Hidden)) // aCtl rises with depth
				if s.DiffReset {
					acc = c.adr(len(s.Hidden))
				}
				o.Test, o.Val = acc+0.0001*float64(s.Seed), acc+0.001
			}
			return o
		})
		rep, err := Draw(context.Background(), r.Results, Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		var row Row
		for _, x := range rep.Rows {
			if x.Figure == "fig5d_bars.png" {
				row = x
			}
		}
		if got := row.Verdict == Reproduced; got != c.ok {
			t.Errorf("%s: verdict %q (ours: %s)", c.name, row.Verdict, row.Ours)
		}
		if !c.ok && !strings.Contains(row.Verdict, "aDR") {
			t.Errorf("%s: the verdict does not say what aDR does: %q", c.name, row.Verdict)
		}
	}
}

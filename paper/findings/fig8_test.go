package findings

import (
	"context"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
	"github.com/spikegrad/spikegrad/run"
)

// TestFig8MaximalRate: Fig. 8's finding has two halves; the verdict
// tests both, on the final weights' test metrics. An unregularised
// network whose busiest neuron stays far below the maximal count per
// trial differs, whatever the regularised one does; one that reaches it
// reproduces. The best epochs' metrics are the other way round here: a
// verdict that read them would come out the other way.
func TestFig8MaximalRate(t *testing.T) {
	for _, c := range []struct {
		free, reg float64 // final spikes per input; the fake's max count per neuron and trial is a tenth
		ok        bool
	}{{70, 20, false}, {490, 20, true}} {
		r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
			o := papertest.PaperLike(sw, s)
			final := o.Spikes
			if sw == "fig9-randman-free" {
				final = c.free
				o.Spikes = 560 - c.free // the best epoch's
			}
			if sw == "fig9-randman" && len(s.Hidden) == 1 && !s.Recurrent {
				final = c.reg
			}
			o.FinalTest = &papertest.Final{Val: o.Test, PerLayer: []float64{final}}
			return o
		})
		rows, _, err := r.fig8(context.Background(), &figures{dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		v := rows[0].Verdict
		if got := v == Reproduced; got != c.ok {
			t.Errorf("unregularised max %.0f spikes per neuron and trial of 49 possible: verdict %q (ours: %s)", c.free/10, v, rows[0].Ours)
		}
		if !c.ok && !strings.Contains(v, "of 49 possible") {
			t.Errorf("verdict does not give the maximal count: %q", v)
		}
	}
}

// TestFig8WithoutFinalWeights: records made before the final weights'
// test metrics were kept, and no last.npz to measure them on, leave
// Fig. 8 unjudged; the best epoch's metrics never stand in for them.
func TestFig8WithoutFinalWeights(t *testing.T) {
	r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
		o := papertest.PaperLike(sw, s)
		o.FinalTest = nil
		return o
	})
	rows, keep, err := r.fig8(context.Background(), &figures{dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if v := rows[0].Verdict; v != "not judged" || len(keep) != 0 {
		t.Errorf("verdict %q, checkpoints kept %v (ours: %s)", v, keep, rows[0].Ours)
	}
}

// TestFig8PicksTheSparsestNetworkAsTrained: under the bound, Fig. 8
// shows the run with the fewest hidden spikes on validation at the end of
// training among those within 2 points of the unregularised one's final
// validation accuracy, not the most accurate one, and not by the best
// epochs' metrics, which here point elsewhere.
func TestFig8PicksTheSparsestNetworkAsTrained(t *testing.T) {
	r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
		o := papertest.PaperLike(sw, s)
		if sw == "fig9-randman" && len(s.Hidden) == 1 && !s.Recurrent {
			// At the end: ν = 0.2 within 2 points (97 %) at 20 spikes,
			// ν ≥ 0.5 the most accurate, ν ≤ 0.1 far below. The best
			// epochs say ν = 0.1 is within reach and sparser still.
			final := 0.5
			switch {
			case s.RegUpperThreshold == 0.2:
				final = 0.97
			case s.RegUpperThreshold >= 0.5:
				final = 0.985
			}
			o.Final = &papertest.Final{Val: final, PerLayer: []float64{100 * s.RegUpperThreshold}}
			if s.RegUpperThreshold == 0.1 {
				o.Val, o.Spikes = 0.98, 10
			}
		}
		if sw == "fig9-randman-free" {
			o.Final = &papertest.Final{Val: 0.98, PerLayer: []float64{150}}
		}
		return o
	})
	free, reg := r.fig8Runs()
	if free == nil || reg == nil {
		t.Fatal("no Fig. 8 runs")
	}
	if got := reg.Record.Settings.RegUpperThreshold; got != 0.2 {
		t.Errorf("regularised network ν = %g, want 0.2, the sparsest at the end within 2 points", got)
	}
}

// TestMaxSpikes: with the reset of docs/conventions.md a neuron spikes at
// most every other step, and not before step 2.
func TestMaxSpikes(t *testing.T) {
	for steps, want := range map[int]int{100: 49, 101: 50, 2: 0, 3: 1, 500: 249} {
		if got := maxSpikes(steps); got != want {
			t.Errorf("maxSpikes(%d) = %d, want %d", steps, got, want)
		}
	}
}

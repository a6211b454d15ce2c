package report_test

import (
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// TestFinalWeightsOnOneSplit: the final weights' metrics come from the
// history's last epoch on validation and from final_test on test; a
// figure's points are of one split, test only when every record has it.
func TestFinalWeightsOnOneSplit(t *testing.T) {
	rec := func(final *metrics.Metrics) report.Run {
		return report.Run{Record: &run.Record{
			Test: &metrics.Metrics{Accuracy: 0.9, SpikesPerInput: []float64{50}}, // the best epoch's
			History: []metrics.Epoch{
				{Epoch: 1, Validation: metrics.Metrics{Accuracy: 0.9, SpikesPerInput: []float64{50}}},
				{Epoch: 2, Validation: metrics.Metrics{Accuracy: 0.5, SpikesPerInput: []float64{4}}},
			},
			FinalTest: final}}
	}
	with := rec(&metrics.Metrics{Accuracy: 0.4, SpikesPerInput: []float64{3, 1}})
	without := rec(nil)
	if m, ok := with.Final(report.OnTest); !ok || m.Accuracy != 0.4 || m.TotalSpikes() != 4 {
		t.Errorf("final on test: %+v %v", m, ok)
	}
	if m, ok := with.Final(report.OnValidation); !ok || m.Accuracy != 0.5 || m.TotalSpikes() != 4 {
		t.Errorf("final on validation: %+v %v", m, ok)
	}
	if _, ok := without.Final(report.OnTest); ok {
		t.Error("a record without final_test has final test metrics")
	}
	if s := report.FinalSplit([]report.Run{with}, []report.Run{with}); s != report.OnTest {
		t.Errorf("every record with final_test: split %s", s)
	}
	if s := report.FinalSplit([]report.Run{with}, []report.Run{with, without}); s != report.OnValidation {
		t.Errorf("one record without final_test: split %s", s)
	}
	g, missing := report.FinalSpikeRuns("g", []report.Run{with, without}, report.OnTest)
	if missing != 1 || len(g.Acc) != 1 || g.Acc[0] != 0.4 || g.Spikes[0] != 4 {
		t.Errorf("final spike runs on test: %+v, %d missing", g, missing)
	}
}

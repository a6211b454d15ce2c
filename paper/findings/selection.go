package findings

import (
	"math"

	"github.com/spikegrad/spikegrad/report"
)

// Selected is the number of runs kept of a configuration of n runs whose
// panel the paper reports as top k: k, but at most half the runs (and at
// least one), so that the selection on validation leaves runs out, as a
// selection must. Grids smaller than the paper's give a smaller k, which
// the reports state ("top 6 of 12").
func Selected(k, n int) int { return max(1, min(k, n/2)) }

// Top summarises the best runs on validation, Selected(k, len(runs)) of
// them: test mean ± std. With no runs, N is 0 and the means are NaN.
func Top(runs []report.Run, k int) report.Summary {
	if len(runs) == 0 {
		return report.Summary{TestMean: math.NaN(), TestStd: math.NaN(), ValidationMean: math.NaN(), SpikesMean: math.NaN()}
	}
	g, err := report.GroupBy(runs, nil, Selected(k, len(runs)))
	if err != nil {
		panic(err) // runs is not empty and k ≥ 1
	}
	return g[0].Summary
}

// TopRuns returns the best runs on validation, Selected(k, len(runs)) of
// them.
func TopRuns(runs []report.Run, k int) []report.Run {
	if len(runs) == 0 {
		return nil
	}
	g, _ := report.GroupBy(runs, nil, Selected(k, len(runs)))
	return g[0].Top()
}

// BestOnValidation returns the run best on validation (ties broken as in
// report.GroupBy), nil for none. Its test accuracy is the one to quote
// as "the best run": choosing the run of the highest test accuracy would
// select on test.
func BestOnValidation(runs []report.Run) *report.Run {
	if len(runs) == 0 {
		return nil
	}
	return &TopRuns(runs, 1)[0]
}

// bestCase returns the index of the summary best on validation (the
// first of equals), -1 when none has runs. Choosing a configuration by
// its test mean would select on test.
func bestCase(s []report.Summary) int {
	best := -1
	for i, x := range s {
		if x.N > 0 && (best < 0 || x.ValidationMean > s[best].ValidationMean) {
			best = i
		}
	}
	return best
}

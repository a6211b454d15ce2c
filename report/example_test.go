package report_test

import (
	"fmt"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"
)

// ExampleGroupBy applies the paper's protocol to six runs of two
// surrogates: per surrogate, the k best runs on validation are kept, and
// their test accuracy is given as mean ± sample std. The run that is best
// on test but worst on validation is left out, as a selection must.
func ExampleGroupBy() {
	var runs []report.Run
	for i, r := range []struct {
		shape     string
		val, test float64
	}{
		{"superspike", 0.97, 0.96}, {"superspike", 0.95, 0.99}, {"superspike", 0.99, 0.98},
		{"esser", 0.90, 0.91}, {"esser", 0.96, 0.95}, {"esser", 0.94, 0.93},
	} {
		s := run.DefaultSettings("randman")
		if err := s.Set("surrogate", r.shape); err != nil {
			panic(err)
		}
		rec := &run.Record{Status: "completed", Settings: s,
			Validation: metrics.Metrics{N: 100, Accuracy: r.val},
			Test:       &metrics.Metrics{N: 100, Accuracy: r.test}}
		runs = append(runs, report.Run{Path: fmt.Sprintf("run%d/record.json", i), Record: rec})
	}
	groups, err := report.GroupBy(runs, []string{"surrogate"}, 2)
	if err != nil {
		panic(err)
	}
	for _, g := range groups {
		fmt.Printf("%-21s top %d of %d: test %.1f ± %.1f %%\n", g.Label([]string{"surrogate"}), g.K, g.N, 100*g.TestMean, 100*g.TestStd)
	}
	// Output:
	// surrogate=esser       top 2 of 3: test 94.0 ± 1.4 %
	// surrogate=superspike  top 2 of 3: test 97.0 ± 1.4 %
}

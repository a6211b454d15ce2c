package report

import (
	"errors"
	"fmt"

	"github.com/spikegrad/spikegrad/report/chart"
)

// Histogram draws the distribution of per-neuron spike counts (paper
// Fig. 8c–d): each neuron's mean number of spikes per test input, from the
// records' test activity, of hidden layer `layer` (counted from 0; negative
// for all layers), pooled over the top-k runs on validation of each group
// of the settings by. Groups are outlines on shared bins, so several
// distributions stay readable on one axis. Runs without activity for the
// layer are left out; none at all is an error.
func Histogram(path string, runs []Run, by []string, k int, layer int) error {
	groups, err := groupBy(runs, by, k)
	if err != nil {
		return fmt.Errorf("report: histogram: %w", err)
	}
	which := "all hidden layers"
	if layer >= 0 {
		which = fmt.Sprintf("hidden layer %d", layer+1)
	}
	h := chart.Histogram{Title: fmt.Sprintf("Per-neuron spike counts, %s (top %d runs per group)", which, k),
		XLabel: "spikes per neuron and input (test mean)", YLabel: "neurons (%)"}
	found := false
	for _, g := range groups {
		c := neuronCounts(g.Top(), layer)
		found = found || len(c) > 0
		s := chart.HistSeries{Values: c}
		if len(c) > 0 {
			s.Legend = fmt.Sprintf("%s (%d neurons, %.0f %% silent)", g.Label(by), len(c), 100*silentFraction(c))
		}
		h.Series = append(h.Series, s)
	}
	if !found {
		return errors.New("report: histogram: no run has per-neuron activity for that layer (test_activity in its record)")
	}
	return chart.DrawHistogram(path, h)
}

// neuronCounts pools the per-neuron mean counts of the runs' layer.
func neuronCounts(runs []Run, layer int) []float64 {
	var out []float64
	for _, r := range runs {
		for l, a := range r.Record.Activity {
			if layer < 0 || l == layer {
				out = append(out, a.NeuronMeans...)
			}
		}
	}
	return out
}

func silentFraction(xs []float64) float64 {
	n := 0
	for _, x := range xs {
		if x == 0 {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

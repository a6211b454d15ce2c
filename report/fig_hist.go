package report

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// histBins is the number of bins of Histogram: enough to show a shape,
// few enough that a hundred neurons fill them.
const histBins = 30

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
	counts := make([][]float64, len(groups))
	top := 0.0
	for i, g := range groups {
		counts[i] = neuronCounts(g.Top(), layer)
		for _, c := range counts[i] {
			top = math.Max(top, c)
		}
	}
	if top == 0 && allEmpty(counts) {
		return errors.New("report: histogram: no run has per-neuron activity for that layer (test_activity in its record)")
	}
	which := "all hidden layers"
	if layer >= 0 {
		which = fmt.Sprintf("hidden layer %d", layer+1)
	}
	p := newPlot(fmt.Sprintf("Per-neuron spike counts, %s (top %d runs per group)", which, k),
		"spikes per neuron and input (test mean)", "neurons (%)")
	width := math.Max(top, 1) / histBins
	for i, c := range counts {
		if len(c) == 0 {
			continue
		}
		line, err := plotter.NewLine(stepOutline(c, width))
		if err != nil {
			return err
		}
		line.LineStyle = solid(colorAt(i), 1.6)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s (%d neurons, %.0f %% silent)", groups[i].Label(by), len(c), 100*silentFraction(c)), line)
	}
	p.X.Min, p.Y.Min = 0, 0
	p.Y.Max *= 1.05
	p.Add(plotter.NewGrid())
	w := 5.5*vg.Inch + legendWidth(p)
	return savePNG(path, w, 3.8*vg.Inch, func(dc draw.Canvas) { legendRight(dc, p) })
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

// stepOutline returns the outline of the histogram of xs in bins of the
// given width from zero, in percent of xs.
func stepOutline(xs []float64, width float64) plotter.XYs {
	h := make([]float64, histBins)
	for _, x := range xs {
		h[min(int(x/width), histBins-1)]++
	}
	pts := plotter.XYs{{X: 0, Y: 0}}
	for i, n := range h {
		y := 100 * n / float64(len(xs))
		pts = append(pts, plotter.XY{X: float64(i) * width, Y: y}, plotter.XY{X: float64(i+1) * width, Y: y})
	}
	return append(pts, plotter.XY{X: histBins * width, Y: 0})
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

func allEmpty(xss [][]float64) bool {
	for _, xs := range xss {
		if len(xs) > 0 {
			return false
		}
	}
	return true
}

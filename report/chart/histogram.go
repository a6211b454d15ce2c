package chart

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// histBins is the number of bins of DrawHistogram: enough to show a shape,
// few enough that a hundred neurons fill them.
const histBins = 30

// Histogram is distributions of non-negative values, such as per-neuron
// spike counts (paper Fig. 8c–d), compared on shared bins; the y axis is
// in percent of each series' values. With LogX the values must be
// positive and the bins are even in their logarithm, from the smallest
// value to the largest: for quantities such as time constants that
// spread over decades.
type Histogram struct {
	Title, XLabel, YLabel string
	Series                []HistSeries
	LogX                  bool
}

// HistSeries is one distribution of a Histogram. A series without values
// is not drawn, but keeps its colour.
type HistSeries struct {
	Legend string
	Values []float64
}

// DrawHistogram draws each series as the outline of its histogram, in
// percent of its values, on histBins shared bins (from zero to the
// largest value, or with LogX over the values' range), so that several
// distributions stay readable on one axis.
func DrawHistogram(path string, h Histogram) error {
	lo, top, empty := math.Inf(1), 0.0, true
	series := make([][]float64, len(h.Series))
	for i, s := range h.Series {
		for _, v := range s.Values {
			if h.LogX {
				if !(v > 0) || math.IsInf(v, 1) {
					return fmt.Errorf("chart: histogram %s: series %q holds %g, want positive finite values on a log axis", path, s.Legend, v)
				}
				v = math.Log10(v)
			}
			series[i] = append(series[i], v)
			lo, top = math.Min(lo, v), math.Max(top, v)
		}
		empty = empty && len(s.Values) == 0
	}
	if empty {
		return errors.New("chart: histogram: no values")
	}
	p := style.NewPlot(h.Title, h.XLabel, h.YLabel)
	var width float64
	if h.LogX {
		if top-lo < 0.1 { // one value, or nearly: a tenth of a decade around it
			lo, top = (lo+top)/2-0.05, (lo+top)/2+0.05
		}
		width = (top - lo) / histBins
		p.X.Tick.Marker = style.Log10Ticks{}
	} else {
		lo, width = 0, math.Max(top, 1)/histBins
	}
	for i, s := range h.Series {
		if len(s.Values) == 0 {
			continue
		}
		line, err := plotter.NewLine(stepOutline(series[i], lo, width))
		if err != nil {
			return err
		}
		line.LineStyle = style.Solid(style.ColorAt(i), 1.6)
		p.Add(line)
		p.Legend.Add(s.Legend, line)
	}
	p.X.Min, p.Y.Min = lo, 0
	p.Y.Max *= 1.05
	p.Add(plotter.NewGrid())
	w := 5.5*vg.Inch + style.LegendWidth(p)
	return style.SavePNG(path, w, 3.8*vg.Inch, func(dc draw.Canvas) { style.LegendRight(dc, p) })
}

// stepOutline returns the outline of the histogram of xs in histBins bins
// of the given width from lo, in percent of xs.
func stepOutline(xs []float64, lo, width float64) plotter.XYs {
	h := make([]float64, histBins)
	for _, x := range xs {
		h[max(0, min(int((x-lo)/width), histBins-1))]++
	}
	pts := plotter.XYs{{X: lo, Y: 0}}
	for i, n := range h {
		y := 100 * n / float64(len(xs))
		pts = append(pts, plotter.XY{X: lo + float64(i)*width, Y: y}, plotter.XY{X: lo + float64(i+1)*width, Y: y})
	}
	return append(pts, plotter.XY{X: lo + histBins*width, Y: 0})
}

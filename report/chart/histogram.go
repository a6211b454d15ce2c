package chart

import (
	"errors"
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
// in percent of each series' values.
type Histogram struct {
	Title, XLabel, YLabel string
	Series                []HistSeries
}

// HistSeries is one distribution of a Histogram. A series without values
// is not drawn, but keeps its colour.
type HistSeries struct {
	Legend string
	Values []float64
}

// DrawHistogram draws each series as the outline of its histogram, in
// percent of its values, on histBins bins from zero to the largest value,
// so that several distributions stay readable on one axis.
func DrawHistogram(path string, h Histogram) error {
	top, empty := 0.0, true
	for _, s := range h.Series {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
		empty = empty && len(s.Values) == 0
	}
	if empty {
		return errors.New("chart: histogram: no values")
	}
	p := style.NewPlot(h.Title, h.XLabel, h.YLabel)
	width := math.Max(top, 1) / histBins
	for i, s := range h.Series {
		if len(s.Values) == 0 {
			continue
		}
		line, err := plotter.NewLine(stepOutline(s.Values, width))
		if err != nil {
			return err
		}
		line.LineStyle = style.Solid(style.ColorAt(i), 1.6)
		p.Add(line)
		p.Legend.Add(s.Legend, line)
	}
	p.X.Min, p.Y.Min = 0, 0
	p.Y.Max *= 1.05
	p.Add(plotter.NewGrid())
	w := 5.5*vg.Inch + style.LegendWidth(p)
	return style.SavePNG(path, w, 3.8*vg.Inch, func(dc draw.Canvas) { style.LegendRight(dc, p) })
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

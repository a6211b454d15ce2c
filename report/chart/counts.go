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

// CountGroup is the spike counts of every hidden neuron in every trial of
// one network, the data of one distribution of Fig. 8c–d.
type CountGroup struct {
	Label  string
	Counts []float64
}

// CountBins is the histogram DrawCounts draws: bin i holds counts in
// [i·Width, (i+1)·Width), as a fraction of all counts of the group.
type CountBins struct {
	Width    float64
	Fraction [][]float64 // [group][bin]
}

// BinCounts bins the groups' counts on shared bins of whole spikes, at
// most 60 of them.
func BinCounts(groups []CountGroup) (CountBins, error) {
	top := 0.0
	for _, g := range groups {
		if len(g.Counts) == 0 {
			return CountBins{}, fmt.Errorf("chart: counts: group %q is empty", g.Label)
		}
		for _, c := range g.Counts {
			if c < 0 || math.IsNaN(c) {
				return CountBins{}, fmt.Errorf("chart: counts: group %q has count %g", g.Label, c)
			}
			top = math.Max(top, c)
		}
	}
	width := math.Max(1, math.Ceil((top+1)/60))
	n := int(top/width) + 1
	b := CountBins{Width: width, Fraction: make([][]float64, len(groups))}
	for i, g := range groups {
		b.Fraction[i] = make([]float64, n)
		for _, c := range g.Counts {
			b.Fraction[i][int(c/width)]++
		}
		for k := range b.Fraction[i] {
			b.Fraction[i][k] /= float64(len(g.Counts))
		}
	}
	return b, nil
}

// DrawCounts draws the distribution of per-neuron, per-trial spike counts
// of each group on a log axis (paper Fig. 8c–d), so that rare high counts
// show; it returns the bins drawn.
func DrawCounts(path, title string, groups []CountGroup) (CountBins, error) {
	if len(groups) == 0 {
		return CountBins{}, errors.New("chart: counts: no groups")
	}
	b, err := BinCounts(groups)
	if err != nil {
		return b, err
	}
	floor := math.Inf(1)
	for _, fr := range b.Fraction {
		for _, f := range fr {
			if f > 0 {
				floor = math.Min(floor, f)
			}
		}
	}
	floor = math.Log10(floor) - 0.5
	p := style.NewPlot(title, "spikes of one neuron in one trial", "fraction of neuron-trials (log scale)")
	for i, g := range groups {
		pts := plotter.XYs{{X: 0, Y: floor}}
		for k, f := range b.Fraction[i] {
			y := floor
			if f > 0 {
				y = math.Log10(f)
			}
			x0 := float64(k) * b.Width
			pts = append(pts, plotter.XY{X: x0, Y: y}, plotter.XY{X: x0 + b.Width, Y: y})
		}
		pts = append(pts, plotter.XY{X: float64(len(b.Fraction[i])) * b.Width, Y: floor})
		l, err := plotter.NewLine(pts)
		if err != nil {
			return b, err
		}
		l.LineStyle = style.Solid(style.ColorAt(i), 1.5)
		p.Add(l)
		mx := 0.0
		for _, c := range g.Counts {
			mx = math.Max(mx, c)
		}
		p.Legend.Add(fmt.Sprintf("%s (max %.0f)", g.Label, mx), l)
	}
	p.Y.Tick.Marker = style.Log10Ticks{}
	p.Y.Min = floor
	p.Y.Max = 0.05
	p.X.Min = 0
	p.Add(plotter.NewGrid())
	w := 5*vg.Inch + style.LegendWidth(p)
	return b, style.SavePNG(path, w, 3.6*vg.Inch, func(dc draw.Canvas) { style.LegendRight(dc, p) })
}

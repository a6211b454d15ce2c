package chart

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// Fit is a curve fitted to the accuracy of a series against its spikes:
// its value at s spikes per input, and the spike count of its transition.
// report.Sigmoid is one.
type Fit interface {
	At(s float64) float64
	Transition() float64
}

// SpikeSeries is one colour of a SpikeChart: runs' hidden spikes per test
// input and their test accuracy (a fraction), and the curve fitted to them
// (nil for none). Points with no spikes are left out: a log axis cannot
// show them. A series without points is not drawn, but keeps its colour.
type SpikeSeries struct {
	Legend      string
	Spikes, Acc []float64
	Fit         Fit
}

// SpikeChart is accuracy against hidden spikes per input on a log axis
// (paper Fig. 9).
type SpikeChart struct {
	Title, XLabel string
	YLabel        string // "test accuracy (%)" if empty
	Series        []SpikeSeries
}

func (c SpikeChart) yLabel() string {
	if c.YLabel == "" {
		return "test accuracy (%)"
	}
	return c.YLabel
}

// DrawSpikes draws c with its legend beside it. Each fit is drawn over the
// range of its series' points, with a dashed line at its transition when
// that lies within.
func DrawSpikes(path string, c SpikeChart) error {
	lo, hi := spikeRange([]SpikeChart{c})
	if math.IsInf(lo, 1) {
		return errors.New("chart: spikes: no run has hidden spikes to plot on a log axis")
	}
	p := style.NewPlot(c.Title, c.XLabel, c.yLabel())
	if err := addSpikes(p, c.Series, lo, hi); err != nil {
		return err
	}
	w := 5.5*vg.Inch + style.LegendWidth(p)
	return style.SavePNG(path, w, 4*vg.Inch, func(dc draw.Canvas) { style.LegendRight(dc, p) })
}

// DrawSpikeGrid draws the charts as panels in rows of cols, each with its
// legend inside, on one x range so that transitions compare across
// panels.
func DrawSpikeGrid(path string, charts []SpikeChart, cols int) error {
	if len(charts) == 0 || cols < 1 {
		return errors.New("chart: spike grid: no panels")
	}
	lo, hi := spikeRange(charts)
	if math.IsInf(lo, 1) {
		return errors.New("chart: spike grid: no run has hidden spikes to plot on a log axis")
	}
	plots := make([]*plot.Plot, len(charts))
	for i, c := range charts {
		p := style.NewPlot(c.Title, c.XLabel, c.yLabel())
		p.Title.TextStyle.Font.Size = 10
		if err := addSpikes(p, c.Series, lo, hi); err != nil {
			return err
		}
		// Bottom right: few spikes and low accuracy go together, so the
		// corner of many spikes and low accuracy stays empty.
		p.Legend.Top, p.Legend.Left = false, false
		p.Legend.TextStyle.Font.Size = 7
		plots[i] = p
	}
	cols = min(cols, len(plots))
	rows := (len(plots) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for c := range grid[r] {
			if k := r*cols + c; k < len(plots) {
				grid[r][c] = plots[k]
			}
		}
	}
	w, h := vg.Length(cols)*3.6*vg.Inch, vg.Length(rows)*3.2*vg.Inch
	err := style.SavePNG(path, w, h, func(dc draw.Canvas) {
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(14),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(6)}
		cs := plot.Align(grid, tiles, dc)
		for r := range grid {
			for c, p := range grid[r] {
				if p != nil {
					p.Draw(cs[r][c])
				}
			}
		}
	})
	if err != nil {
		return fmt.Errorf("chart: spike grid: %w", err)
	}
	return nil
}

// spikeRange returns the range of the positive spike counts of all series.
func spikeRange(charts []SpikeChart) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range charts {
		for _, sr := range c.Series {
			for _, s := range sr.Spikes {
				if s > 0 {
					lo, hi = math.Min(lo, s), math.Max(hi, s)
				}
			}
		}
	}
	return lo, hi
}

// addSpikes draws the series on p, whose x axis spans lo to hi spikes.
func addSpikes(p *plot.Plot, series []SpikeSeries, lo, hi float64) error {
	for i, sr := range series {
		var s, acc []float64
		for j, v := range sr.Spikes {
			if v <= 0 {
				continue
			}
			s, acc = append(s, v), append(acc, sr.Acc[j])
		}
		if len(s) == 0 {
			continue
		}
		if err := addSeries(p, sr, s, acc, i); err != nil {
			return err
		}
	}
	p.X.Tick.Marker = style.Log10Ticks{}
	p.X.Min, p.X.Max = math.Log10(lo/1.5), math.Log10(hi*1.5)
	p.Y.Min, p.Y.Max = 0, 100
	p.Add(plotter.NewGrid())
	return nil
}

// addSeries draws the points (s, acc) of series i and its fit.
func addSeries(p *plot.Plot, sr SpikeSeries, s, acc []float64, i int) error {
	pct := make([]float64, len(acc))
	for j, a := range acc {
		pct[j] = 100 * a
	}
	logs := make([]float64, len(s))
	for j, x := range s {
		logs[j] = math.Log10(x)
	}
	sc, err := plotter.NewScatter(style.XYs(logs, pct))
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: style.ColorAt(i), Radius: vg.Points(2.5), Shape: style.GlyphAt(i)}
	p.Add(sc)
	if sr.Fit == nil {
		p.Legend.Add(sr.Legend, sc)
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range s {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	curve := make(plotter.XYs, 200)
	for j := range curve {
		x := lo * math.Pow(hi/lo, float64(j)/float64(len(curve)-1))
		curve[j] = plotter.XY{X: math.Log10(x), Y: 100 * sr.Fit.At(x)}
	}
	line, err := plotter.NewLine(curve)
	if err != nil {
		return err
	}
	line.LineStyle = style.Solid(style.ColorAt(i), 1.6)
	p.Add(line)
	if t := sr.Fit.Transition(); t >= lo && t <= hi {
		p.Add(style.VLine{X: math.Log10(t), LineStyle: style.Dashed(style.ColorAt(i), 1)})
	}
	p.Legend.Add(sr.Legend, sc, line)
	return nil
}

package report

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SpikeGroup is one colour of a spike panel: the runs' hidden spikes per
// test input and their test accuracy (a fraction).
type SpikeGroup struct {
	Label       string
	Spikes, Acc []float64
}

// SpikePanel is one panel of DrawSpikeGrid: a data set and a connectivity,
// say.
type SpikePanel struct {
	Title  string
	Groups []SpikeGroup
}

// SpikeRuns returns the spikes and accuracies of runs for a SpikeGroup.
func SpikeRuns(label string, runs []Run) SpikeGroup {
	g := SpikeGroup{Label: label}
	for _, r := range runs {
		g.Spikes = append(g.Spikes, r.Spikes())
		g.Acc = append(g.Acc, r.Test())
	}
	return g
}

// FitSpikeGroup fits the sigmoid of Spikes to a group, leaving out silent
// runs, which a log axis cannot show.
func FitSpikeGroup(g SpikeGroup) SpikeFit {
	var s, acc []float64
	f := SpikeFit{Label: g.Label}
	for i, v := range g.Spikes {
		if v <= 0 {
			f.Silent++
			continue
		}
		s, acc = append(s, v), append(acc, g.Acc[i])
	}
	f.Points = len(s)
	if len(s) == 0 {
		f.Err = errors.New("no run with hidden spikes")
		return f
	}
	f.Sigmoid, f.RMSE, f.Err = FitSigmoid(s, acc)
	return f
}

// DrawSpikeGrid draws accuracy against hidden spikes per input (paper
// Fig. 9), one panel per entry of panels laid out in rows of cols, with a
// sigmoid fitted per group and a dashed line at its transition. It returns
// the fits, [panel][group]. All panels share the x range so that
// transitions compare across data sets.
func DrawSpikeGrid(path string, panels []SpikePanel, cols int) ([][]SpikeFit, error) {
	if len(panels) == 0 || cols < 1 {
		return nil, errors.New("report: spike grid: no panels")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pn := range panels {
		for _, g := range pn.Groups {
			for _, s := range g.Spikes {
				if s > 0 {
					lo, hi = math.Min(lo, s), math.Max(hi, s)
				}
			}
		}
	}
	if math.IsInf(lo, 1) {
		return nil, errors.New("report: spike grid: no run has hidden spikes to plot on a log axis")
	}
	fits := make([][]SpikeFit, len(panels))
	plots := make([]*plot.Plot, len(panels))
	for i, pn := range panels {
		p := newPlot(pn.Title, "hidden spikes per input (log scale)", "test accuracy (%)")
		p.Title.TextStyle.Font.Size = 10
		for j, g := range pn.Groups {
			var s, acc []float64
			silent := 0
			for k, v := range g.Spikes {
				if v <= 0 {
					silent++
					continue
				}
				s, acc = append(s, v), append(acc, g.Acc[k])
			}
			fit := SpikeFit{Label: g.Label, Points: len(s), Silent: silent}
			if len(s) == 0 {
				fit.Err = errors.New("no run with hidden spikes")
			} else if err := addSpikeGroup(p, &fit, s, acc, j); err != nil {
				return nil, err
			}
			fits[i] = append(fits[i], fit)
		}
		p.X.Tick.Marker = log10Ticks{}
		p.X.Min, p.X.Max = math.Log10(lo/1.5), math.Log10(hi*1.5)
		p.Y.Min, p.Y.Max = 0, 100
		// Bottom right: few spikes and low accuracy go together, so the
		// corner of many spikes and low accuracy stays empty.
		p.Legend.Top, p.Legend.Left = false, false
		p.Legend.TextStyle.Font.Size = 7
		p.Add(plotter.NewGrid())
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
	err := savePNG(path, w, h, func(dc draw.Canvas) {
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
		return nil, fmt.Errorf("report: spike grid: %w", err)
	}
	return fits, nil
}

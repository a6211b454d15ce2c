package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// Curve is one run's learning curve: Y against X (epochs).
type Curve struct {
	Group int // index into CurveChart.Groups: its colour and legend entry
	X, Y  []float64
}

// CurveChart is a set of learning curves coloured by group (paper Fig. 2b:
// true gradient against surrogate; Fig. 5b: the top five runs of each
// configuration).
type CurveChart struct {
	Title, XLabel, YLabel string
	Groups                []string
	Colors                []color.Color // optional, one per group
	Curves                []Curve
	// YMin and YMax fix the y range when YMax > YMin; otherwise it fits the
	// data.
	YMin, YMax float64
}

// DrawCurves draws c, one line per curve, the legend naming each group
// once.
func DrawCurves(path string, c CurveChart) error {
	switch {
	case len(c.Curves) == 0:
		return errors.New("chart: curves: no curves")
	case c.Colors != nil && len(c.Colors) != len(c.Groups):
		return fmt.Errorf("chart: curves: %d colours for %d groups", len(c.Colors), len(c.Groups))
	}
	p := style.NewPlot(c.Title, c.XLabel, c.YLabel)
	named := make([]bool, len(c.Groups))
	xmax := 0.0
	for _, cv := range c.Curves {
		if cv.Group < 0 || cv.Group >= len(c.Groups) || len(cv.X) != len(cv.Y) {
			return fmt.Errorf("chart: curves: curve of group %d with %d x and %d y values", cv.Group, len(cv.X), len(cv.Y))
		}
		if len(cv.X) == 0 {
			continue
		}
		l, err := plotter.NewLine(style.XYs(cv.X, cv.Y))
		if err != nil {
			return fmt.Errorf("chart: curves: %w", err)
		}
		col := style.ColorAt(cv.Group)
		if c.Colors != nil {
			col = c.Colors[cv.Group]
		}
		l.LineStyle = style.Solid(col, 1.3)
		p.Add(l)
		if len(cv.X) < 3 { // too short to show as a line
			sc, err := plotter.NewScatter(style.XYs(cv.X, cv.Y))
			if err != nil {
				return fmt.Errorf("chart: curves: %w", err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		}
		if !named[cv.Group] {
			named[cv.Group] = true
			p.Legend.Add(c.Groups[cv.Group], l)
		}
		xmax = math.Max(xmax, cv.X[len(cv.X)-1])
	}
	p.X.Min, p.X.Max = 0, math.Max(1, xmax)
	if c.YMax > c.YMin {
		p.Y.Min, p.Y.Max = c.YMin, c.YMax
	} else {
		p.Y.Min = math.Min(0, p.Y.Min)
	}
	p.Add(plotter.NewGrid())
	w := 5*vg.Inch + style.LegendWidth(p)
	return style.SavePNG(path, w, 3.6*vg.Inch, func(dc draw.Canvas) { style.LegendRight(dc, p) })
}

package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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

// CurvesFromHistory returns the curve of field (one of "train_loss",
// "train_accuracy", "validation_loss", "validation_accuracy") of run r,
// accuracies in percent.
func CurvesFromHistory(r Run, field string) (x, y []float64, err error) {
	for _, e := range r.Record.History {
		var v float64
		switch field {
		case "train_loss":
			v = e.Train.Loss
		case "train_accuracy":
			v = 100 * e.Train.Accuracy
		case "validation_loss":
			v = e.Validation.Loss
		case "validation_accuracy":
			v = 100 * e.Validation.Accuracy
		default:
			return nil, nil, fmt.Errorf("report: curves: unknown field %q", field)
		}
		x, y = append(x, float64(e.Epoch)), append(y, v)
	}
	return x, y, nil
}

// DrawCurves draws c, one line per curve, the legend naming each group
// once.
func DrawCurves(path string, c CurveChart) error {
	switch {
	case len(c.Curves) == 0:
		return errors.New("report: curves: no curves")
	case c.Colors != nil && len(c.Colors) != len(c.Groups):
		return fmt.Errorf("report: curves: %d colours for %d groups", len(c.Colors), len(c.Groups))
	}
	p := newPlot(c.Title, c.XLabel, c.YLabel)
	named := make([]bool, len(c.Groups))
	xmax := 0.0
	for _, cv := range c.Curves {
		if cv.Group < 0 || cv.Group >= len(c.Groups) || len(cv.X) != len(cv.Y) {
			return fmt.Errorf("report: curves: curve of group %d with %d x and %d y values", cv.Group, len(cv.X), len(cv.Y))
		}
		if len(cv.X) == 0 {
			continue
		}
		l, err := plotter.NewLine(xys(cv.X, cv.Y))
		if err != nil {
			return fmt.Errorf("report: curves: %w", err)
		}
		col := colorAt(cv.Group)
		if c.Colors != nil {
			col = c.Colors[cv.Group]
		}
		l.LineStyle = solid(col, 1.3)
		p.Add(l)
		if len(cv.X) < 3 { // too short to show as a line
			sc, err := plotter.NewScatter(xys(cv.X, cv.Y))
			if err != nil {
				return fmt.Errorf("report: curves: %w", err)
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
	w := 5*vg.Inch + legendWidth(p)
	return savePNG(path, w, 3.6*vg.Inch, func(dc draw.Canvas) { legendRight(dc, p) })
}

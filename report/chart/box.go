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

// BoxGroup is one box of a whisker plot: the test accuracies (fractions)
// of a set of runs.
type BoxGroup struct {
	Label  string
	Values []float64
}

// DrawWhiskers draws a Tukey box plot per group (median, quartiles,
// whiskers to the furthest point within 1.5 interquartile ranges, points
// beyond as outliers) with every run as a dot beside its box (paper Fig.
// 3d: spread over data sets and initialisations).
func DrawWhiskers(path, title string, groups []BoxGroup) error {
	if len(groups) == 0 {
		return errors.New("chart: whiskers: no groups")
	}
	p := style.NewPlot(title, "", "test accuracy (%)")
	var names []string
	lo := 100.0
	for i, g := range groups {
		names = append(names, g.Label)
		if len(g.Values) == 0 {
			continue
		}
		vals := make(plotter.Values, len(g.Values))
		for j, v := range g.Values {
			vals[j] = 100 * v
			lo = math.Min(lo, vals[j])
		}
		b, err := plotter.NewBoxPlot(vg.Points(26), float64(i), vals)
		if err != nil {
			return fmt.Errorf("chart: whiskers: %s: %w", g.Label, err)
		}
		b.FillColor = lighten(style.ColorAt(i))
		b.BoxStyle.Color = style.ColorAt(i)
		b.WhiskerStyle = style.Solid(style.ColorAt(i), 1)
		b.MedianStyle = style.Solid(color.Black, 1.5)
		p.Add(b)
		pts := make(plotter.XYs, len(vals))
		for j, v := range vals {
			pts[j] = plotter.XY{X: float64(i) + 0.3, Y: v}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: style.ColorAt(i), Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	p.NominalX(names...)
	p.Y.Padding = vg.Points(4)
	p.X.Min, p.X.Max = -0.6, float64(len(groups))-0.4
	// Whiskers of accurate runs sit near 100 %; show from a round number
	// below the lowest run, so the spread is visible.
	p.Y.Min, p.Y.Max = math.Max(0, math.Floor(lo/10)*10-5), 100
	p.Add(&plotter.Grid{Horizontal: plotter.DefaultGridLineStyle})
	w := math.Max(4.2, 1.4+1.3*float64(len(groups)))
	style.RotateIfCrowded(&p.X, names, 1.3*vg.Inch)
	return style.SavePNG(path, vg.Length(w)*vg.Inch, 3.6*vg.Inch, func(dc draw.Canvas) { p.Draw(dc) })
}

// lighten mixes c with three parts of white, for fills under outlines of c.
func lighten(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8 + 3*255) / 4) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 255}
}

package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// BarValue is one bar of a BarChart: a top-k summary with accuracies as
// fractions. N == 0 marks a missing bar (no runs), drawn as nothing.
type BarValue struct {
	Mean, Std float64 // Std NaN when K < 2: no error bar
	K, N      int
}

// BarChart is a grouped bar chart of top-k summaries: clusters along the
// axis and, within each, one bar per series (paper Fig. 3c, 5, 6; the
// bars of report.Bars).
type BarChart struct {
	Title, XLabel string
	Clusters      []string      // tick labels, left to right
	Series        []string      // legend entries, one colour each; a single unnamed series has no legend
	Colors        []color.Color // optional, one per series; default the Okabe–Ito palette
	Values        [][]BarValue  // [series][cluster]
	Chance        float64       // dashed line at this fraction; 0 none
	// ErrorBars names what the values' Std are, when not a standard
	// deviation ("95 % CI"); the axis label says it.
	ErrorBars string
}

// Validate checks that the chart's table is rectangular and its numbers
// are in range.
func (c *BarChart) Validate() error {
	switch {
	case len(c.Clusters) == 0 || len(c.Series) == 0:
		return errors.New("no clusters or no series")
	case len(c.Values) != len(c.Series):
		return fmt.Errorf("%d series of values, %d series names", len(c.Values), len(c.Series))
	case c.Colors != nil && len(c.Colors) != len(c.Series):
		return fmt.Errorf("%d colours for %d series", len(c.Colors), len(c.Series))
	case c.Chance < 0 || c.Chance >= 1:
		return fmt.Errorf("chance level %g, want a fraction in [0, 1)", c.Chance)
	}
	for i, row := range c.Values {
		if len(row) != len(c.Clusters) {
			return fmt.Errorf("series %q: %d values for %d clusters", c.Series[i], len(row), len(c.Clusters))
		}
	}
	return nil
}

// DrawBarChart draws c: in each cluster one bar per series with a value,
// its height the mean test accuracy in percent, its error bar the standard
// deviation (or what ErrorBars says).
func DrawBarChart(path string, c BarChart) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("chart: bar chart %s: %w", path, err)
	}
	colors := c.Colors
	if colors == nil {
		colors = make([]color.Color, len(c.Series))
		for i := range colors {
			colors[i] = style.ColorAt(i)
		}
	}
	ylabel := "test accuracy (%)"
	if c.ErrorBars != "" {
		ylabel += ", bars: " + c.ErrorBars
	}
	p := style.NewPlot(c.Title, c.XLabel, ylabel)
	ns := len(c.Series)
	slot := 0.8 / float64(ns)
	for j := range c.Series {
		b := &bars{width: slot * 0.92, fill: colors[j]}
		var errs errorPoints
		for ci, v := range c.Values[j] {
			if v.N == 0 {
				continue
			}
			cx := float64(ci) - 0.4 + slot*(float64(j)+0.5)
			b.xy = append(b.xy, plotter.XY{X: cx, Y: 100 * v.Mean})
			if !math.IsNaN(v.Std) {
				errs.XYs = append(errs.XYs, plotter.XY{X: cx, Y: 100 * v.Mean})
				errs.YErrors = append(errs.YErrors, struct{ Low, High float64 }{100 * v.Std, 100 * v.Std})
			}
		}
		p.Add(b)
		if len(errs.XYs) > 0 {
			eb, err := plotter.NewYErrorBars(errs)
			if err != nil {
				return err
			}
			eb.LineStyle = style.Solid(color.Black, 1)
			eb.CapWidth = vg.Points(4)
			p.Add(eb)
		}
		if ns > 1 || c.Series[0] != "" {
			p.Legend.Add(c.Series[j], b)
		}
	}
	if c.Chance > 0 {
		l := style.HLine{Y: 100 * c.Chance, LineStyle: style.Dashed(color.Gray{Y: 0x55}, 1)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("chance (%.3g %%)", 100*c.Chance), l)
	}
	p.NominalX(c.Clusters...)
	p.Y.Padding = vg.Points(4)
	p.X.Min, p.X.Max = -0.5, float64(len(c.Clusters))-0.5
	p.Y.Min, p.Y.Max = 0, 100
	for _, row := range c.Values {
		for _, v := range row {
			if v.N > 0 && !math.IsNaN(v.Std) {
				p.Y.Max = math.Max(p.Y.Max, 100*(v.Mean+v.Std)+1)
			}
		}
	}
	p.Add(&plotter.Grid{Horizontal: plotter.DefaultGridLineStyle})
	cw := math.Max(0.8, 0.25*float64(ns))
	for _, name := range c.Clusters {
		cw = math.Max(cw, math.Min(1.6, float64(p.X.Tick.Label.Width(name)/vg.Inch)+0.15))
	}
	w := math.Max(4.5, 1.6+float64(len(c.Clusters))*cw)
	style.RotateIfCrowded(&p.X, c.Clusters, vg.Length(cw)*vg.Inch)
	return style.SavePNG(path, vg.Length(w)*vg.Inch+style.LegendWidth(p), 3.6*vg.Inch, func(dc draw.Canvas) {
		style.LegendRight(dc, p)
	})
}

// bars are bars in data coordinates: centred on each point's X, from zero
// to its Y, width wide in X units. plotter.BarChart takes widths in
// points, which cannot line up clusters whose width is set in data units.
type bars struct {
	xy    plotter.XYs
	width float64
	fill  color.Color
}

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, pt := range b.xy {
		x0, x1 := tx(pt.X-b.width/2), tx(pt.X+b.width/2)
		y0, y1 := ty(0), ty(pt.Y)
		rect := c.ClipPolygonY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		c.FillPolygon(b.fill, rect)
	}
}

func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), 0, 0
	for _, pt := range b.xy {
		xmin, xmax = math.Min(xmin, pt.X-b.width/2), math.Max(xmax, pt.X+b.width/2)
		ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
	}
	return xmin, xmax, ymin, ymax
}

func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(b.fill, c.ClipPolygonY(pts))
}

// errorPoints feed plotter.NewYErrorBars.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}

// Shades returns n colours along one colour map, for series that are
// ordered numbers such as slopes β (the paper's shades of blue).
func Shades(n int) []color.Color { return style.Sequential(n) }

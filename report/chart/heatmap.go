package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// Heatmap is values over two settings, x across and y up (paper Fig. 3b:
// β × learning rate), in panels on one colour scale so that they compare.
type Heatmap struct {
	XLabel, YLabel string
	X, Y           []string // tick labels, across and up
	Panels         []HeatPanel
	Scale          string // label of the colour bar
}

// HeatPanel is one panel of a Heatmap: Values[y][x], NaN where there is
// none.
type HeatPanel struct {
	Title  string
	Values [][]float64
}

// DrawHeatmap draws h, three panels to a row, every cell annotated with its
// value; cells without one are grey.
func DrawHeatmap(path string, h Heatmap) error {
	if len(h.Panels) == 0 || len(h.X) == 0 || len(h.Y) == 0 {
		return errors.New("chart: heatmap: no panels or no values")
	}
	for _, pn := range h.Panels {
		if len(pn.Values) != len(h.Y) {
			return fmt.Errorf("chart: heatmap: panel %q has %d rows for %d y values", pn.Title, len(pn.Values), len(h.Y))
		}
		for _, row := range pn.Values {
			if len(row) != len(h.X) {
				return fmt.Errorf("chart: heatmap: panel %q has a row of %d values for %d x values", pn.Title, len(row), len(h.X))
			}
		}
	}
	lo, hi := gridRange(h.Panels)
	cm := style.Viridis()
	cm.SetMin(lo)
	cm.SetMax(hi)
	plots := make([]*plot.Plot, len(h.Panels))
	for i, pn := range h.Panels {
		plots[i] = heatPanel(style.Grid(pn.Values), cm, pn.Title, h)
	}
	cols := min(len(plots), 3)
	rows := (len(plots) + cols - 1) / cols
	pw := math.Max(3.4, 0.5*float64(len(h.X))+1.4)
	ph := math.Max(3.0, 0.35*float64(len(h.Y))+1.4)
	barW := 1.1 * vg.Inch
	w := vg.Length(float64(cols)*pw)*vg.Inch + barW
	ht := vg.Length(float64(rows)*ph) * vg.Inch
	return style.SavePNG(path, w, ht, func(dc draw.Canvas) {
		grid := make([][]*plot.Plot, rows)
		for r := range grid {
			grid[r] = make([]*plot.Plot, cols)
			for c := range grid[r] {
				if i := r*cols + c; i < len(plots) {
					grid[r][c] = plots[i]
				}
			}
		}
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(16), PadY: vg.Points(12),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		cs := plot.Align(grid, tiles, draw.Crop(dc, 0, -barW, 0, 0))
		for r := range grid {
			for c, p := range grid[r] {
				if p != nil {
					p.Draw(cs[r][c])
				}
			}
		}
		top := plots[0].DataCanvas(cs[0][0])
		bottom := plots[(rows-1)*cols].DataCanvas(cs[rows-1][0])
		bar := draw.Crop(dc, dc.Max.X-dc.Min.X-barW+vg.Points(10), 0, 0, 0)
		bar.Min.Y, bar.Max.Y = bottom.Min.Y, top.Max.Y
		cb := colorBar(cm, h.Scale)
		bar.Max.X = cb.DataCanvas(bar).Min.X + 0.22*vg.Inch // a slim bar after the axis
		cb.Draw(bar)
	})
}

// gridRange returns the range of all values, widened when they are equal
// so that the colour map stays defined.
func gridRange(panels []HeatPanel) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range panels {
		for _, row := range p.Values {
			for _, v := range row {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if hi-lo < 1 {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// heatPanel draws one grid with its cells annotated.
func heatPanel(g style.Grid, cm palette.ColorMap, title string, h Heatmap) *plot.Plot {
	p := style.NewPlot(title, h.XLabel, h.YLabel)
	p.Title.TextStyle.Font.Size = 11
	p.Add(style.Cells{G: g, CM: cm})
	p.Add(cellLabels(g, cm))
	p.NominalX(h.X...)
	p.NominalY(h.Y...)
	p.X.Padding, p.Y.Padding = 0, 0
	style.RotateIfCrowded(&p.X, h.X, 0.5*vg.Inch)
	return p
}

// cellLabels writes each cell's value in black or white, whichever stands
// out on the cell's colour.
func cellLabels(g style.Grid, cm palette.ColorMap) *plotter.Labels {
	nc, nr := g.Dims()
	var pts plotter.XYLabels
	var styles []text.Style
	decimals := 1
	if nc > 8 {
		decimals = 0 // narrow cells
	}
	for r := range nr {
		for c := range nc {
			v := g.Z(c, r)
			s := "–"
			ink := color.Color(color.Black)
			if !math.IsNaN(v) {
				s = fmt.Sprintf("%.*f", decimals, v)
				if bg, err := cm.At(v); err == nil && style.Luminance(bg) < 0.45 {
					ink = color.White
				}
			}
			pts.XYs = append(pts.XYs, plotter.XY{X: float64(c), Y: float64(r)})
			pts.Labels = append(pts.Labels, s)
			styles = append(styles, text.Style{Color: ink, Font: font.From(style.Sans, 8),
				XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler})
		}
	}
	l, _ := plotter.NewLabels(pts) // cannot fail: finite coordinates
	l.TextStyle = styles
	return l
}

// colorBar returns a plot of the vertical colour scale of cm.
func colorBar(cm palette.ColorMap, label string) *plot.Plot {
	p := style.NewPlot("", "", label)
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.HideX()
	p.Y.Padding = 0
	return p
}

package report

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws the top-k mean test accuracy over the values of two
// settings, x across and y up (paper Fig. 3b: β × learning rate), one
// panel per combination of the facet settings (the surrogate shape, say),
// all on one colour scale so panels compare. Every cell is annotated with
// its value; cells without runs are grey.
func Heatmap(path string, runs []Run, x, y string, facet []string, k int) error {
	return HeatmapWith(path, runs, x, y, facet, k, HeatmapOptions{})
}

// HeatmapOptions change how HeatmapWith lays out the panels.
type HeatmapOptions struct {
	// Titles name the panels by the facet values joined with ", "
	// ("superspike" → "SuperSpike"); a panel without a title is named
	// by its settings.
	Titles map[string]string
	// Order lists facet values, joined with ", ", in the order the panels
	// are drawn; panels not listed follow in value order.
	Order []string
}

// HeatmapWith is Heatmap with the panels named and ordered by o.
func HeatmapWith(path string, runs []Run, x, y string, facet []string, k int, o HeatmapOptions) error {
	keys := append(append([]string{}, facet...), x, y)
	groups, err := groupBy(runs, keys, k)
	if err != nil {
		return fmt.Errorf("report: heatmap: %w", err)
	}
	nf := len(facet)
	xs, ys := distinct(groups, nf), distinct(groups, nf+1)
	panels := heatPanels(groups, nf, xs, ys)
	if len(o.Order) > 0 {
		rank := func(p heatPanelData) int {
			for i, v := range o.Order {
				if v == strings.Join(p.values, ", ") {
					return i
				}
			}
			return len(o.Order)
		}
		sort.SliceStable(panels, func(i, j int) bool { return rank(panels[i]) < rank(panels[j]) })
	}
	lo, hi := gridRange(panels)
	cm := viridis()
	cm.SetMin(lo)
	cm.SetMax(hi)
	plots := make([]*plot.Plot, len(panels))
	for i, pn := range panels {
		title := fmt.Sprintf("top-%d mean test accuracy (%%)", k)
		if nf > 0 {
			title = pn.label(facet)
			if t, ok := o.Titles[strings.Join(pn.values, ", ")]; ok {
				title = t
			}
		}
		plots[i] = heatPanel(pn.grid, cm, title, x, y, xs, ys)
	}
	cols := min(len(plots), 3)
	rows := (len(plots) + cols - 1) / cols
	pw := math.Max(3.4, 0.5*float64(len(xs))+1.4)
	ph := math.Max(3.0, 0.35*float64(len(ys))+1.4)
	barW := 1.1 * vg.Inch
	w := vg.Length(float64(cols)*pw)*vg.Inch + barW
	h := vg.Length(float64(rows)*ph) * vg.Inch
	return savePNG(path, w, h, func(dc draw.Canvas) {
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
		cb := colorBar(cm, fmt.Sprintf("test accuracy (%%), mean of top %d", k))
		bar.Max.X = cb.DataCanvas(bar).Min.X + 0.22*vg.Inch // a slim bar after the axis
		cb.Draw(bar)
	})
}

// heatGrid is one panel's values, [row][column], NaN where no run exists.
type heatGrid [][]float64

func (g heatGrid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g heatGrid) Z(c, r int) float64 { return g[r][c] }

// heatCells fill each cell of a grid with its colour, grey where NaN.
// plotter.HeatMap leaves hairline seams between vector cells and blurs
// rasterised ones; these cells overlap by a hair instead.
type heatCells struct {
	g  heatGrid
	cm palette.ColorMap
}

func (h heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	eps := vg.Points(0.3)
	nc, nr := h.g.Dims()
	for r := range nr {
		for col := range nc {
			fill := color.Color(color.Gray{Y: 0xdd})
			if v := h.g.Z(col, r); !math.IsNaN(v) {
				if cc, err := h.cm.At(v); err == nil {
					fill = cc
				}
			}
			x0, x1 := tx(float64(col)-0.5)-eps, tx(float64(col)+0.5)+eps
			y0, y1 := ty(float64(r)-0.5)-eps, ty(float64(r)+0.5)+eps
			c.FillPolygon(fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		}
	}
}

func (h heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	nc, nr := h.g.Dims()
	return -0.5, float64(nc) - 0.5, -0.5, float64(nr) - 0.5
}

type heatPanelData struct {
	values []string // of the facet settings
	grid   heatGrid
}

func (p heatPanelData) label(facet []string) string {
	return Group{Values: p.values}.Label(facet)
}

// heatPanels sorts groups into one grid per facet value, in percent.
func heatPanels(groups []Group, nf int, xs, ys []string) []heatPanelData {
	index := func(vals []string, v string) int {
		for i, s := range vals {
			if s == v {
				return i
			}
		}
		return -1
	}
	var panels []heatPanelData
	byFacet := map[string]int{}
	for _, g := range groups {
		id := strings.Join(g.Values[:nf], "\x00")
		i, ok := byFacet[id]
		if !ok {
			i = len(panels)
			byFacet[id] = i
			grid := make(heatGrid, len(ys))
			for r := range grid {
				grid[r] = make([]float64, len(xs))
				for c := range grid[r] {
					grid[r][c] = math.NaN()
				}
			}
			panels = append(panels, heatPanelData{values: g.Values[:nf], grid: grid})
		}
		panels[i].grid[index(ys, g.Values[nf+1])][index(xs, g.Values[nf])] = 100 * g.TestMean
	}
	return panels
}

// gridRange returns the range of all values, widened when they are equal
// so that the colour map stays defined.
func gridRange(panels []heatPanelData) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range panels {
		for _, row := range p.grid {
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
func heatPanel(g heatGrid, cm palette.ColorMap, title, x, y string, xs, ys []string) *plot.Plot {
	p := newPlot(title, axisName(x), axisName(y))
	p.Title.TextStyle.Font.Size = 11
	p.Add(heatCells{g, cm})
	p.Add(cellLabels(g, cm))
	p.NominalX(displayAll(xs)...)
	p.NominalY(displayAll(ys)...)
	p.X.Padding, p.Y.Padding = 0, 0
	rotateIfCrowded(&p.X, displayAll(xs), 0.5*vg.Inch)
	return p
}

// cellLabels writes each cell's value in black or white, whichever stands
// out on the cell's colour.
func cellLabels(g heatGrid, cm palette.ColorMap) *plotter.Labels {
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
				if bg, err := cm.At(v); err == nil && luminance(bg) < 0.45 {
					ink = color.White
				}
			}
			pts.XYs = append(pts.XYs, plotter.XY{X: float64(c), Y: float64(r)})
			pts.Labels = append(pts.Labels, s)
			styles = append(styles, text.Style{Color: ink, Font: font.From(sans, 8),
				XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler})
		}
	}
	l, _ := plotter.NewLabels(pts) // cannot fail: finite coordinates
	l.TextStyle = styles
	return l
}

// colorBar returns a plot of the vertical colour scale of cm.
func colorBar(cm palette.ColorMap, label string) *plot.Plot {
	p := newPlot("", "", label)
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.HideX()
	p.Y.Padding = 0
	return p
}

// rotateIfCrowded turns tick labels by 30° when they would run into each
// other at the given spacing.
func rotateIfCrowded(a *plot.Axis, names []string, spacing vg.Length) {
	for _, n := range names {
		if a.Tick.Label.Width(n) > 0.9*spacing {
			a.Tick.Label.Rotation = math.Pi / 6
			a.Tick.Label.XAlign = draw.XRight
			a.Tick.Label.YAlign = draw.YCenter
			return
		}
	}
}

func displayAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = display(v)
	}
	return out
}

// axisNames label axes of the settings most often swept with their
// meaning and unit; other settings go by their name.
var axisNames = map[string]string{
	"beta":                "surrogate slope β",
	"lr":                  "learning rate η",
	"hidden":              "hidden layer sizes",
	"surrogate":           "surrogate derivative",
	"readout":             "readout",
	"tau-mem":             "τ_mem (ms)",
	"tau-syn":             "τ_syn (ms)",
	"tau-readout":         "τ_readout (ms)",
	"dt":                  "Δt (ms)",
	"gain":                "initialisation gain g",
	"reg-upper-strength":  "λ_upper",
	"reg-lower-strength":  "λ_lower",
	"reg-upper-threshold": "ν_upper (spikes per neuron)",
	"reg-lower-threshold": "ν_lower (spikes per neuron)",
	"batch":               "batch size",
	"epochs":              "epochs",
}

func axisName(key string) string {
	if n, ok := axisNames[key]; ok {
		return n
	}
	return key
}

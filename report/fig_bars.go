package report

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars draws grouped bars of top-k test accuracy, mean with the standard
// deviation as error bars (paper Fig. 3c, 5c–f, 6): one cluster per
// combination of the x settings and, within a cluster, one bar per value
// of the colour setting ("" for a single colour). A chance level in (0, 1)
// is drawn as a dashed line; 0 draws none.
func Bars(path string, runs []Run, x []string, colorKey string, k int, chance float64) error {
	if len(x) == 0 {
		return fmt.Errorf("report: bars: no setting to group bars by")
	}
	if chance < 0 || chance >= 1 {
		return fmt.Errorf("report: bars: chance level %g, want a fraction in [0, 1)", chance)
	}
	keys := append([]string{}, x...)
	if colorKey != "" {
		keys = append(keys, colorKey)
	}
	groups, err := groupBy(runs, keys, k)
	if err != nil {
		return fmt.Errorf("report: bars: %w", err)
	}
	cats, catOf := clusters(groups, x)
	shades := []string{""}
	if colorKey != "" {
		shades = distinct(groups, len(x))
	}
	c := BarChart{Title: fmt.Sprintf("Test accuracy: mean ± std of the top %d runs on validation", k),
		XLabel: axisName(strings.Join(x, ", ")), Clusters: cats, Colors: shadeColors(shades), Chance: chance}
	for _, shade := range shades {
		name := ""
		if colorKey != "" {
			name = symbol(colorKey) + " = " + display(shade)
		}
		c.Series = append(c.Series, name)
		c.Values = append(c.Values, make([]BarValue, len(cats))) // N = 0: no bar
	}
	for gi, g := range groups {
		j := 0
		if colorKey != "" {
			j = slices.Index(shades, g.Values[len(x)])
		}
		c.Values[j][catOf[gi]] = Of(g.Summary)
	}
	return DrawBarChart(path, c)
}

// clusters returns the tick labels of the x combinations in order, and the
// cluster of every group.
func clusters(groups []Group, x []string) ([]string, []int) {
	var cats []string
	seen := map[string]int{}
	catOf := make([]int, len(groups))
	for gi, g := range groups {
		id := strings.Join(g.Values[:len(x)], "\x00")
		i, ok := seen[id]
		if !ok {
			i = len(cats)
			seen[id] = i
			cats = append(cats, clusterLabel(g.Values[:len(x)]))
		}
		catOf[gi] = i
	}
	return cats, catOf
}

// clusterLabel is the values alone, comma-separated: the axis label names
// the settings in the same order.
func clusterLabel(vals []string) string {
	return strings.Join(displayAll(vals), ", ")
}

// shadeColors colours ordered numbers, such as slopes β, along a
// sequential map, as the paper's shades of blue, and names qualitatively.
func shadeColors(shades []string) []color.Color {
	numeric := len(shades) > 1
	for _, s := range shades {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		return sequential(len(shades))
	}
	out := make([]color.Color, len(shades))
	for i := range out {
		out[i] = colorAt(i)
	}
	return out
}

// symbols are the paper's symbols of settings, for legends.
var symbols = map[string]string{"beta": "β", "lr": "η", "tau-mem": "τ_mem", "tau-syn": "τ_syn", "reg-upper-strength": "λ_upper", "reg-lower-strength": "λ_lower"}

func symbol(key string) string {
	if s, ok := symbols[key]; ok {
		return s
	}
	return key
}

// legendWidth is the room legendRight needs for p's legend.
func legendWidth(p *plot.Plot) vg.Length {
	r := p.Legend.Rectangle(draw.Canvas{})
	if r.Max.X == r.Min.X {
		return 0
	}
	return r.Max.X - r.Min.X + vg.Points(12)
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

// Package style is the look shared by the figures of package report and
// its drawing packages (chart, raster): fonts, tick marks, colour-blind-safe
// palettes, a legend beside the data, reference lines, coloured cells and
// PNG output at a fixed resolution. Figures that share it read as one set.
package style

import (
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// dpi of the PNGs: sharp enough for a paper draft, small enough for a
// repository.
const dpi = 144

// Sans-serif text reads better than gonum's default serif at small sizes.
var Sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// NewPlot returns a plot with the shared fonts and ticks, a title and axis labels.
func NewPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(Sans, 12)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(Sans, 10)
		a.Tick.Label.Font = font.From(Sans, 9)
	}
	p.X.Label.Text, p.Y.Label.Text = x, y
	p.X.Tick.Marker, p.Y.Tick.Marker = plainTicks{}, plainTicks{}
	p.Legend.TextStyle.Font = font.From(Sans, 9)
	p.Legend.ThumbnailWidth = vg.Points(16)
	p.Legend.Padding = vg.Points(3)
	return p
}

// plainTicks label about five round values, 1, 2, 2.5 or 5 times a power
// of ten apart, without trailing zeros ("50", not "50.00"), with an
// unlabelled minor tick between; gonum's default labels only about three.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*0.7 {
			step = m * mag
			break
		}
	}
	minor := step / 2 // more crowd small panels
	var ts []plot.Tick
	for i := math.Ceil(min/minor - 1e-9); i*minor <= max+minor*1e-9; i++ {
		v := i * minor
		t := plot.Tick{Value: v}
		if r := math.Round(v / step); math.Abs(v/step-r) < 1e-6 {
			t.Label = strconv.FormatFloat(r*step+0, 'g', 6, 64) // +0: no "-0"
		}
		ts = append(ts, t)
	}
	return ts
}

// SavePNG draws a w × h figure with paint and writes it to path atomically.
func SavePNG(path string, w, h vg.Length, paint func(dc draw.Canvas)) error {
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	paint(dc)
	return atomicfile.Write(path, func(out io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(out)
		return err
	})
}

// LegendRight draws p with its legend in a strip to the right of the
// plot, where it cannot hide data, and returns nothing: the legend's
// entries are moved out of p.
func LegendRight(dc draw.Canvas, p *plot.Plot) {
	leg := p.Legend
	p.Legend = plot.NewLegend()
	r := leg.Rectangle(dc)
	width := r.Max.X - r.Min.X + vg.Points(12)
	fitTitle(p, dc.Max.X-dc.Min.X-width)
	p.Draw(draw.Crop(dc, 0, -width, 0, 0))
	leg.Left, leg.Top = true, true
	strip := draw.Crop(dc, dc.Max.X-dc.Min.X-width+vg.Points(6), 0, 0, 0)
	// Align the legend's top with the top of the data area.
	strip.Max.Y = p.DataCanvas(draw.Crop(dc, 0, -width, 0, 0)).Max.Y
	leg.Draw(strip)
}

// fitTitle sets p's title smaller, down to 6 points, until it is no wider
// than w: gonum centres a title over its plot and lets a long one run past
// both edges of the image.
func fitTitle(p *plot.Plot, w vg.Length) {
	for p.Title.TextStyle.Font.Size > 6 && p.Title.TextStyle.Width(p.Title.Text) > w {
		p.Title.TextStyle.Font.Size -= 0.5
	}
}

// Log10Ticks label an axis whose data are log10 of the quantity with the
// quantity itself: 1, 10, 100 and unlabelled minor ticks between. Plotting
// log10 values on a linear axis sidesteps plot.LogScale, which centres the
// axis label on the arithmetic midpoint and so squeezes the data area.
type Log10Ticks struct{}

func (Log10Ticks) Ticks(min, max float64) []plot.Tick {
	// Over a short range, label 2 and 5 times the powers of ten as well,
	// or every tick, so that at least two labels show.
	labelled := func(m int) bool { return m == 1 }
	switch span := max - min; {
	case span < 0.8:
		labelled = func(int) bool { return true }
	case span < 2.5:
		labelled = func(m int) bool { return m == 1 || m == 2 || m == 5 }
	}
	var out []plot.Tick
	for k := math.Floor(min); k <= math.Ceil(max); k++ {
		for m := 1; m < 10; m++ {
			v := k + math.Log10(float64(m))
			if v < min-1e-9 || v > max+1e-9 {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled(m) {
				t.Label = strconv.FormatFloat(float64(m)*math.Pow(10, k), 'g', 6, 64)
			}
			out = append(out, t)
		}
	}
	return out
}

// Qualitative is Okabe & Ito's colour-blind-safe palette, strongest first.
var Qualitative = []color.Color{
	RGB(0x00, 0x72, 0xB2), // blue
	RGB(0xD5, 0x5E, 0x00), // vermillion
	RGB(0x00, 0x9E, 0x73), // bluish green
	RGB(0xE6, 0x9F, 0x00), // orange
	RGB(0xCC, 0x79, 0xA7), // reddish purple
	RGB(0x56, 0xB4, 0xE9), // sky blue
	RGB(0x00, 0x00, 0x00), // black
	RGB(0x99, 0x99, 0x99), // grey
}

// RGB is an opaque colour.
func RGB(r, g, b uint8) color.Color { return color.RGBA{R: r, G: g, B: b, A: 255} }

// ColorAt cycles the Qualitative palette.
func ColorAt(i int) color.Color { return Qualitative[i%len(Qualitative)] }

// GlyphAt cycles glyph shapes so that groups stay apart once colours repeat.
func GlyphAt(i int) draw.GlyphDrawer {
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{}}
	return shapes[(i/len(Qualitative))%len(shapes)]
}

// Viridis is a perceptually uniform colour map with monotonic luminance,
// so a heatmap reads the same in grey.
func Viridis() palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		RGB(0x44, 0x01, 0x54), RGB(0x3b, 0x52, 0x8b), RGB(0x21, 0x91, 0x8c), RGB(0x5e, 0xc9, 0x62), RGB(0xfd, 0xe7, 0x25),
	})
	if err != nil {
		panic(err) // fixed control points: cannot fail
	}
	return cm
}

// Sequential returns n colours along Viridis, without its pale yellow end
// that vanishes on white.
func Sequential(n int) []color.Color {
	cm := Viridis()
	cm.SetMin(0)
	cm.SetMax(1)
	out := make([]color.Color, n)
	for i := range out {
		t := 0.0
		if n > 1 {
			t = 0.85 * float64(i) / float64(n-1)
		}
		c, _ := cm.At(t)
		out[i] = c
	}
	return out
}

// Luminance is the relative luminance of c in [0, 1], to choose a text
// colour that stands out on it.
func Luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// HLine is a horizontal line across the whole x range of a plot.
type HLine struct {
	Y float64
	draw.LineStyle
}

func (h HLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.Y)
	c.StrokeLine2(h.LineStyle, c.Min.X, y, c.Max.X, y)
}

func (h HLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.Y, h.Y
}

func (h HLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(h.LineStyle, c.Min.X, y, c.Max.X, y)
}

// VLine is a vertical line across the whole y range of a plot.
type VLine struct {
	X float64
	draw.LineStyle
}

func (v VLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(v.X)
	c.StrokeLine2(v.LineStyle, x, c.Min.Y, x, c.Max.Y)
}

func (v VLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.X, v.X, math.Inf(1), math.Inf(-1)
}

func (v VLine) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(v.LineStyle, x, c.Min.Y, x, c.Max.Y)
}

// Dashed is a dashed line of colour c, width in points.
func Dashed(c color.Color, width float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

// Solid is a solid line of colour c, width in points.
func Solid(c color.Color, width float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width)}
}

// XYs builds plotter points.
func XYs(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i].X, pts[i].Y = x[i], y[i]
	}
	return pts
}

// LegendWidth is the room LegendRight needs for p's legend.
func LegendWidth(p *plot.Plot) vg.Length {
	r := p.Legend.Rectangle(draw.Canvas{})
	if r.Max.X == r.Min.X {
		return 0
	}
	return r.Max.X - r.Min.X + vg.Points(12)
}

// RotateIfCrowded turns tick labels by 30° when they would run into each
// other at the given spacing.
func RotateIfCrowded(a *plot.Axis, names []string, spacing vg.Length) {
	for _, n := range names {
		if a.Tick.Label.Width(n) > 0.9*spacing {
			a.Tick.Label.Rotation = math.Pi / 6
			a.Tick.Label.XAlign = draw.XRight
			a.Tick.Label.YAlign = draw.YCenter
			return
		}
	}
}

// Grid is values on a grid, [row][column], NaN where there is none.
type Grid [][]float64

// Dims returns the numbers of columns and rows.
func (g Grid) Dims() (c, r int) { return len(g[0]), len(g) }

// Z returns the value of column c and row r.
func (g Grid) Z(c, r int) float64 { return g[r][c] }

// Cells fill each cell of a grid with its colour, grey where NaN, the
// cell of column c and row r centred on (c, r). plotter.HeatMap leaves
// hairline seams between vector cells and blurs rasterised ones; these
// cells overlap by a hair instead.
type Cells struct {
	G  Grid
	CM palette.ColorMap
}

// Plot implements plot.Plotter.
func (h Cells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	eps := vg.Points(0.3)
	nc, nr := h.G.Dims()
	for r := range nr {
		for col := range nc {
			fill := color.Color(color.Gray{Y: 0xdd})
			if v := h.G.Z(col, r); !math.IsNaN(v) {
				if cc, err := h.CM.At(v); err == nil {
					fill = cc
				}
			}
			x0, x1 := tx(float64(col)-0.5)-eps, tx(float64(col)+0.5)+eps
			y0, y1 := ty(float64(r)-0.5)-eps, ty(float64(r)+0.5)+eps
			c.FillPolygon(fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		}
	}
}

// DataRange implements plot.DataRanger.
func (h Cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	nc, nr := h.G.Dims()
	return -0.5, float64(nc) - 0.5, -0.5, float64(nr) - 0.5
}

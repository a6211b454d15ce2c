package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/ops"
)

// Defaults of Surrogates: the shapes of Fig. 3a and the asymptotic one of
// Fig. 5a, and slopes spanning the paper's grid.
var (
	DefaultShapes = []ops.Shape{ops.SuperSpike, ops.Sigmoid, ops.Esser, ops.Asymptotic}
	DefaultBetas  = []float64{1, 2, 5, 10, 20, 50}
)

// shapeTitles name the shapes as the paper does, with their formula.
var shapeTitles = map[ops.Shape]string{
	ops.SuperSpike: "SuperSpike  1/(β|x|+1)²",
	ops.Sigmoid:    "sigmoid′  s(x)(1−s(x)), s = 1/(1+e^(−βx))",
	ops.Esser:      "Esser et al.  max(0, 1−β|x|)",
	ops.Asymptotic: "asymptotic SuperSpike  β/(β|x|+1)²",
	ops.Exact:      "exact  0 (almost everywhere)",
}

// Surrogates draws the surrogate derivative h(x) of each shape for each β,
// one panel per shape, as computed by ops.Surrogate.Deriv (paper Fig. 3a
// and 5a). Nil arguments take DefaultShapes and DefaultBetas.
func Surrogates(path string, shapes []ops.Shape, betas []float64) error {
	if shapes == nil {
		shapes = DefaultShapes
	}
	if betas == nil {
		betas = DefaultBetas
	}
	if len(shapes) == 0 || len(betas) == 0 {
		return errors.New("report: surrogates: no shapes or no slopes to draw")
	}
	for _, b := range betas {
		if err := (ops.Surrogate{Beta: b}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
	}
	colors := sequential(len(betas))
	plots := make([]*plot.Plot, len(shapes))
	var legend plot.Legend
	for i, sh := range shapes {
		if err := (ops.Surrogate{Shape: sh}).Validate(); err != nil {
			return fmt.Errorf("report: surrogates: %w", err)
		}
		p, l, err := surrogatePanel(sh, betas, colors)
		if err != nil {
			return err
		}
		plots[i], legend = p, l
	}
	w := vg.Length(len(shapes))*3.1*vg.Inch + 0.9*vg.Inch
	return savePNG(path, w, 3.2*vg.Inch, func(dc draw.Canvas) {
		legend.Left, legend.Top = true, true
		lw := vg.Inch * 0.9
		tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(14), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		area := draw.Crop(dc, 0, -lw, 0, 0)
		canvases := plot.Align([][]*plot.Plot{plots}, tiles, area)
		for i, p := range plots {
			p.Draw(canvases[0][i])
		}
		strip := draw.Crop(dc, dc.Max.X-dc.Min.X-lw+vg.Points(8), 0, 0, 0)
		strip.Max.Y = plots[0].DataCanvas(canvases[0][0]).Max.Y
		legend.Draw(strip)
	})
}

// surrogatePanel draws h(x) of one shape for every β and returns the
// panel and its legend, which the figure shares between panels.
func surrogatePanel(sh ops.Shape, betas []float64, colors []color.Color) (*plot.Plot, plot.Legend, error) {
	p := newPlot(shapeTitles[sh], "x = U − θ  (threshold θ = 1)", "h(x), surrogate derivative")
	p.Title.TextStyle.Font.Size = 10
	legend := p.Legend
	const n = 401
	for j, beta := range betas {
		s := ops.Surrogate{Shape: sh, Beta: beta}
		pts := make(plotter.XYs, n)
		for k := range pts {
			x := -1 + 2*float64(k)/(n-1)
			pts[k].X, pts[k].Y = x, s.Deriv(x)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, legend, err
		}
		l.LineStyle = solid(colors[j], 1.4)
		p.Add(l)
		legend.Add("β = "+strconv.FormatFloat(beta, 'g', -1, 64), l)
	}
	p.X.Min, p.X.Max = -1, 1
	p.Y.Min = 0
	p.Y.Max = math.Max(p.Y.Max*1.05, 0.1) // the exact shape is flat at zero
	p.Add(plotter.NewGrid())
	return p, legend, nil
}

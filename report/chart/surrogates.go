package chart

import (
	"errors"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// SurrogatePanel is one shape of DrawSurrogates: its title and its
// surrogate derivative h(x) at slope β.
type SurrogatePanel struct {
	Title string
	H     func(beta, x float64) float64
}

// DrawSurrogates draws h(x) of each panel for each β, one panel per shape
// side by side, one colour per β along a sequential map (paper Fig. 3a and
// 5a).
func DrawSurrogates(path string, panels []SurrogatePanel, betas []float64) error {
	if len(panels) == 0 || len(betas) == 0 {
		return errors.New("chart: surrogates: no shapes or no slopes to draw")
	}
	colors := style.Sequential(len(betas))
	plots := make([]*plot.Plot, len(panels))
	var legend plot.Legend
	for i, pn := range panels {
		p, l, err := surrogatePanel(pn, betas, colors)
		if err != nil {
			return err
		}
		plots[i], legend = p, l
	}
	w := vg.Length(len(panels))*3.1*vg.Inch + 0.9*vg.Inch
	return style.SavePNG(path, w, 3.2*vg.Inch, func(dc draw.Canvas) {
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
func surrogatePanel(pn SurrogatePanel, betas []float64, colors []color.Color) (*plot.Plot, plot.Legend, error) {
	p := style.NewPlot(pn.Title, "x = U − θ  (threshold θ = 1)", "h(x), surrogate derivative")
	p.Title.TextStyle.Font.Size = 10
	legend := p.Legend
	const n = 401
	for j, beta := range betas {
		pts := make(plotter.XYs, n)
		for k := range pts {
			x := -1 + 2*float64(k)/(n-1)
			pts[k].X, pts[k].Y = x, pn.H(beta, x)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, legend, err
		}
		l.LineStyle = style.Solid(colors[j], 1.4)
		p.Add(l)
		legend.Add("β = "+strconv.FormatFloat(beta, 'g', -1, 64), l)
	}
	p.X.Min, p.X.Max = -1, 1
	p.Y.Min = 0
	p.Y.Max = math.Max(p.Y.Max*1.05, 0.1) // the exact shape is flat at zero
	p.Add(plotter.NewGrid())
	return p, legend, nil
}

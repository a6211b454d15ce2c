package raster

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// InputPanel is one panel of the input paradigms figure (paper Fig. 7):
// an image (Grid, first row on top, grey levels), a spike raster (Spikes),
// or a spectrogram (Grid, first row at the bottom, viridis).
type InputPanel struct {
	Title, XLabel, YLabel string
	Kind                  InputKind
	Grid                  [][]float64 // [row][column]
	Spikes                []Spike
	Groups                []string // legend of the raster's colours, if several
	XMax, YMax            float64  // raster extent: time and units
}

// InputKind chooses how an InputPanel is drawn.
type InputKind int

// Kinds of InputPanel.
const (
	ImagePanel InputKind = iota
	RasterPanel
	SpectrogramPanel
)

// Spike is one spike of a raster: time, unit and colour group.
type Spike struct {
	T, Unit float64
	Group   int
}

// DrawInputs draws the panels side by side in one row.
func DrawInputs(path string, panels []InputPanel) error {
	if len(panels) == 0 {
		return errors.New("raster: inputs: no panels")
	}
	plots := make([]*plot.Plot, len(panels))
	for i, pn := range panels {
		p := style.NewPlot(pn.Title, pn.XLabel, pn.YLabel)
		p.Title.TextStyle.Font.Size = 10
		switch pn.Kind {
		case ImagePanel, SpectrogramPanel:
			if len(pn.Grid) == 0 || len(pn.Grid[0]) == 0 {
				return fmt.Errorf("raster: inputs: panel %q has an empty grid", pn.Title)
			}
			g := make(style.Grid, len(pn.Grid))
			lo, hi := math.Inf(1), math.Inf(-1)
			for r, row := range pn.Grid {
				if len(row) != len(pn.Grid[0]) {
					return fmt.Errorf("raster: inputs: panel %q has rows of different lengths", pn.Title)
				}
				src := r
				if pn.Kind == ImagePanel {
					src = len(pn.Grid) - 1 - r // first row on top
				}
				g[src] = row
				for _, v := range row {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			if hi <= lo {
				hi = lo + 1
			}
			cm := style.Viridis()
			if pn.Kind == ImagePanel {
				// Ink on paper: the map runs from black to white, so the
				// grey levels are drawn reversed.
				cm, _ = moreland.NewLuminance([]color.Color{style.RGB(0, 0, 0), style.RGB(0xff, 0xff, 0xff)})
				for r, row := range g {
					inv := make([]float64, len(row))
					for c, v := range row {
						inv[c] = lo + hi - v
					}
					g[r] = inv
				}
			}
			cm.SetMin(lo)
			cm.SetMax(hi)
			p.Add(style.Cells{G: g, CM: cm})
			if pn.Kind == ImagePanel {
				p.HideAxes()
			}
		case RasterPanel:
			if err := addRaster(p, pn); err != nil {
				return err
			}
		default:
			return fmt.Errorf("raster: inputs: panel %q has unknown kind %d", pn.Title, pn.Kind)
		}
		plots[i] = p
	}
	w := vg.Length(len(plots)) * 3 * vg.Inch
	return style.SavePNG(path, w, 3.1*vg.Inch, func(dc draw.Canvas) {
		tiles := draw.Tiles{Rows: 1, Cols: len(plots), PadX: vg.Points(16), PadTop: vg.Points(4),
			PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
		cs := plot.Align([][]*plot.Plot{plots}, tiles, dc)
		for i, p := range plots {
			p.Draw(cs[0][i])
		}
	})
}

// addRaster draws the spikes as small dots, one colour per group.
func addRaster(p *plot.Plot, pn InputPanel) error {
	byGroup := map[int]plotter.XYs{}
	maxGroup := 0
	for _, s := range pn.Spikes {
		byGroup[s.Group] = append(byGroup[s.Group], plotter.XY{X: s.T, Y: s.Unit})
		maxGroup = max(maxGroup, s.Group)
	}
	for g := 0; g <= maxGroup; g++ {
		pts := byGroup[g]
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return fmt.Errorf("raster: inputs: panel %q: %w", pn.Title, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: style.ColorAt(g), Radius: vg.Points(0.8), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if g < len(pn.Groups) {
			p.Legend.Add(pn.Groups[g], sc)
		}
	}
	p.Legend.Top = true
	p.X.Min, p.Y.Min = 0, 0
	if pn.XMax > 0 {
		p.X.Max = pn.XMax
	}
	if pn.YMax > 0 {
		p.Y.Max = pn.YMax
	}
	return nil
}

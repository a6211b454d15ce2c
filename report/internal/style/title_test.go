package style

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestLegendRightFitsTitle: a title wider than the plot beside the legend
// strip is set smaller until it fits, instead of running off the left edge;
// a short title keeps its size.
func TestLegendRightFitsTitle(t *testing.T) {
	for _, tc := range []struct {
		title  string
		shrink bool
	}{
		{"Fig. 5f: asymptotic SuperSpike, recurrent gradient detached or propagated", true},
		{"Fig. 5c", false},
	} {
		p := NewPlot(tc.title, "", "test accuracy (%)")
		p.Legend.Add("aCtl")
		size := p.Title.TextStyle.Font.Size
		w := 4 * vg.Inch
		dc := draw.New(vgimg.New(w, 3*vg.Inch))
		legend := p.Legend.Rectangle(dc)
		LegendRight(dc, p)
		got := p.Title.TextStyle.Font.Size
		if shrunk := got < size; shrunk != tc.shrink {
			t.Errorf("%q: title size %v → %v", tc.title, size, got)
		}
		avail := w - (legend.Max.X - legend.Min.X + vg.Points(12))
		if width := p.Title.TextStyle.Width(tc.title); width > avail {
			t.Errorf("%q: title %v wide in a plot %v wide", tc.title, width, avail)
		}
	}
}

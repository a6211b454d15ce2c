package raster

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/spikegrad/spikegrad/report/internal/style"
)

// SnapshotOptions choose what DrawSnapshot shows.
type SnapshotOptions struct {
	DT      float64  // ms per time step; 0 means 1 ms
	Samples int      // samples shown, one column each, at most; 0 means 4
	Traces  int      // membrane traces per sample; 0 means 5
	Layer   int      // hidden layer shown, counted from 0
	Classes []string // class names for the titles; nil shows numbers
}

func (o SnapshotOptions) withDefaults() SnapshotOptions {
	if o.DT == 0 {
		o.DT = 1
	}
	if o.Samples == 0 {
		o.Samples = 4
	}
	if o.Traces == 0 {
		o.Traces = 5
	}
	return o
}

// Sample is the activity of a network on one sample, step by step, as
// report.Snapshot hands it over from cmd/eval's snapshots.
type Sample struct {
	Index     int           // in its split
	Label     int           // the true class
	Predicted int           // the network's answer
	Input     [][]float64   // [T][inputs]
	Spikes    [][][]float64 // [hidden layer][T][units]; none for a network without hidden layers
	Membrane  [][][]float64 // [hidden layer][T][units]
	Readout   [][]float64   // [T][classes]
}

// DrawSnapshot draws the activity of a network on a few inputs (paper Fig.
// 2c–e, 8a–b), one column per sample and, from the bottom up as in the
// paper: the input raster, the raster of a hidden layer, membrane traces of
// a few of its neurons with the threshold, and the readout traces with the
// true class highlighted (and the predicted one, when it is wrong).
func DrawSnapshot(path string, snaps []Sample, o SnapshotOptions) error {
	o = o.withDefaults()
	if o.DT < 0 || o.Samples < 1 || o.Traces < 1 || o.Layer < 0 {
		return fmt.Errorf("raster: snapshot: want dt ≥ 0, samples ≥ 1, traces ≥ 1 and layer ≥ 0, got %g, %d, %d, %d", o.DT, o.Samples, o.Traces, o.Layer)
	}
	if len(snaps) == 0 {
		return errors.New("raster: snapshot: no samples")
	}
	snaps = snaps[:min(len(snaps), o.Samples)]
	hidden, err := checkSnapshots(snaps, o.Layer)
	if err != nil {
		return err
	}
	var neurons []int
	if hidden {
		neurons = traceNeurons(snaps, o.Layer, o.Traces)
	}
	var grid [][]*plot.Plot
	for i, sn := range snaps {
		col := snapshotColumn(sn, o, neurons, hidden)
		if i > 0 {
			for _, p := range col {
				p.Y.Label.Text = "" // the first column names the rows
			}
		}
		for r, p := range col {
			if len(grid) <= r {
				grid = append(grid, nil)
			}
			grid[r] = append(grid[r], p)
		}
	}
	legends := snapshotLegends(neurons, hidden)
	legW := 1.5 * vg.Inch
	w := vg.Length(len(snaps))*3.2*vg.Inch + legW
	h := vg.Length(len(grid)) * 2.2 * vg.Inch
	return style.SavePNG(path, w, h, func(dc draw.Canvas) {
		tiles := draw.Tiles{Rows: len(grid), Cols: len(snaps), PadX: vg.Points(10), PadY: vg.Points(10),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		cs := plot.Align(grid, tiles, draw.Crop(dc, 0, -legW, 0, 0))
		for r := range grid {
			for c, p := range grid[r] {
				p.Draw(cs[r][c])
			}
			if legends[r] == nil {
				continue
			}
			data := grid[r][0].DataCanvas(cs[r][0])
			strip := draw.Crop(dc, dc.Max.X-dc.Min.X-legW+vg.Points(8), 0, 0, 0)
			strip.Min.Y, strip.Max.Y = data.Min.Y, data.Max.Y
			legends[r].Draw(strip)
		}
	})
}

// checkSnapshots checks that the samples agree in shape and have the layer,
// and reports whether there is a hidden layer to show at all.
func checkSnapshots(snaps []Sample, layer int) (bool, error) {
	T := len(snaps[0].Input)
	if T == 0 {
		return false, errors.New("raster: snapshot: sample has no time steps")
	}
	hidden := len(snaps[0].Spikes) > 0
	for i, sn := range snaps {
		if len(sn.Input) != T || len(sn.Readout) != T {
			return false, fmt.Errorf("raster: snapshot: sample %d has %d input and %d readout steps, want %d", i, len(sn.Input), len(sn.Readout), T)
		}
		if !hidden {
			continue
		}
		if layer >= len(sn.Spikes) || layer >= len(sn.Membrane) {
			// Layers are counted from 1 here, as --snapshot-layer counts them.
			return false, fmt.Errorf("raster: snapshot: hidden layer %d asked for, but sample %d has %d", layer+1, i, len(sn.Spikes))
		}
		if len(sn.Spikes[layer]) != T || len(sn.Membrane[layer]) != T {
			return false, fmt.Errorf("raster: snapshot: sample %d: hidden layer %d has not %d steps", i, layer+1, T)
		}
	}
	return hidden, nil
}

// traceNeurons picks the neurons whose membrane traces are shown, the same
// in every column: spread over the neurons ranked by spike count, among
// the spiking ones when there are enough, so the traces show both busy
// and quiet neurons.
func traceNeurons(snaps []Sample, layer, n int) []int {
	H := len(snaps[0].Spikes[layer][0])
	count := make([]float64, H)
	for _, sn := range snaps {
		for _, step := range sn.Spikes[layer] {
			for j, v := range step {
				count[j] += v
			}
		}
	}
	rank := make([]int, H)
	spiking := 0
	for j := range rank {
		rank[j] = j
		if count[j] > 0 {
			spiking++
		}
	}
	sort.SliceStable(rank, func(a, b int) bool { return count[rank[a]] > count[rank[b]] })
	pool := rank[:max(min(n, H), min(spiking, H))]
	n = min(n, len(pool))
	out := make([]int, n)
	for i := range out {
		k := 0
		if n > 1 {
			k = int(math.Round(float64(i) * float64(len(pool)-1) / float64(n-1)))
		}
		out[i] = pool[k]
	}
	sort.Ints(out)
	return out
}

// snapshotColumn returns the panels of one sample, top to bottom.
func snapshotColumn(sn Sample, o SnapshotOptions, neurons []int, hidden bool) []*plot.Plot {
	ro := readoutPanel(sn, o)
	ro.Title.Text = sampleTitle(sn, o.Classes)
	col := []*plot.Plot{ro}
	if hidden {
		col = append(col, membranePanel(sn.Membrane[o.Layer], neurons, o.DT),
			rasterPanel(sn.Spikes[o.Layer], o.DT, fmt.Sprintf("hidden neuron (layer %d)", o.Layer+1), style.Qualitative[0]))
	}
	col = append(col, rasterPanel(sn.Input, o.DT, "input neuron", color.Black))
	for _, p := range col[:len(col)-1] {
		p.X.Label.Text = "" // one time label, under the bottom row
	}
	return col
}

func sampleTitle(sn Sample, classes []string) string {
	name := func(c int) string {
		if c >= 0 && c < len(classes) {
			return classes[c]
		}
		return fmt.Sprint(c)
	}
	verdict := "correct"
	if sn.Predicted != sn.Label {
		verdict = "wrong: predicted " + name(sn.Predicted)
	}
	return fmt.Sprintf("sample %d, class %s (%s)", sn.Index, name(sn.Label), verdict)
}

// Colours of the readout traces: the true class stands out in the paper's
// brown-orange, the others recede in grey.
var (
	trueColor  = style.RGB(0xD5, 0x5E, 0x00)
	otherColor = color.Gray{Y: 0xb0}
	wrongColor = style.RGB(0x00, 0x72, 0xB2)
)

func readoutPanel(sn Sample, o SnapshotOptions) *plot.Plot {
	p := style.NewPlot("", "time (ms)", "readout U_out (a.u.)")
	p.Title.TextStyle.Font.Size = 10
	C := len(sn.Readout[0])
	for c := range C {
		if c == sn.Label || c == sn.Predicted {
			continue // drawn last, on top
		}
		p.Add(trace(sn.Readout, c, o.DT, style.Solid(otherColor, 0.8)))
	}
	if sn.Predicted != sn.Label && sn.Predicted >= 0 && sn.Predicted < C {
		p.Add(trace(sn.Readout, sn.Predicted, o.DT, style.Dashed(wrongColor, 1.6)))
	}
	if sn.Label >= 0 && sn.Label < C {
		p.Add(trace(sn.Readout, sn.Label, o.DT, style.Solid(trueColor, 2)))
	}
	p.X.Min, p.X.Max = 0, float64(len(sn.Readout))*o.DT
	return p
}

func membranePanel(u [][]float64, neurons []int, dt float64) *plot.Plot {
	p := style.NewPlot("", "time (ms)", "membrane U (θ = 1)")
	for i, j := range neurons {
		p.Add(trace(u, j, dt, style.Solid(style.ColorAt(i+1), 1)))
	}
	p.Add(style.HLine{Y: 1, LineStyle: style.Dashed(color.Black, 1)})
	p.Y.Max = math.Max(p.Y.Max, 1.2)
	p.X.Min, p.X.Max = 0, float64(len(u))*dt
	return p
}

// trace is column j of a [T][n] record over time.
func trace(v [][]float64, j int, dt float64, sty draw.LineStyle) *plotter.Line {
	pts := make(plotter.XYs, len(v))
	for n, row := range v {
		pts[n] = plotter.XY{X: float64(n) * dt, Y: row[j]}
	}
	l, _ := plotter.NewLine(pts) // cannot fail: the values come from JSON numbers
	l.LineStyle = sty
	return l
}

// rasterPanel draws a dot per spike of a [T][n] record.
func rasterPanel(s [][]float64, dt float64, label string, c color.Color) *plot.Plot {
	p := style.NewPlot("", "time (ms)", label)
	n := len(s[0])
	var pts plotter.XYs
	for t, row := range s {
		for j, v := range row {
			if v > 0 {
				pts = append(pts, plotter.XY{X: float64(t) * dt, Y: float64(j)})
			}
		}
	}
	if len(pts) > 0 {
		sc, _ := plotter.NewScatter(pts) // cannot fail: finite coordinates
		// Dots sized to the row pitch: touching, not overlapping.
		r := vg.Length(math.Max(0.5, math.Min(1.6, 100/float64(n))))
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(float64(r)), Shape: draw.CircleGlyph{}}
		p.Add(sc)
	}
	p.X.Min, p.X.Max = 0, float64(len(s))*dt
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	return p
}

// snapshotLegends are the legends of the rows, top to bottom; nil where a
// row needs none.
func snapshotLegends(neurons []int, hidden bool) []*plot.Legend {
	mk := func() *plot.Legend {
		l := style.NewPlot("", "", "").Legend
		l.Left, l.Top = true, true
		return &l
	}
	ro := mk()
	ro.Add("true class", trace([][]float64{{0}}, 0, 1, style.Solid(trueColor, 2)))
	ro.Add("predicted, if wrong", trace([][]float64{{0}}, 0, 1, style.Dashed(wrongColor, 1.6)))
	ro.Add("other classes", trace([][]float64{{0}}, 0, 1, style.Solid(otherColor, 0.8)))
	legends := []*plot.Legend{ro}
	if hidden {
		mem := mk()
		mem.Add("threshold θ", style.HLine{Y: 1, LineStyle: style.Dashed(color.Black, 1)})
		for i, j := range neurons {
			mem.Add(fmt.Sprintf("neuron %d", j), trace([][]float64{{0}}, 0, 1, style.Solid(style.ColorAt(i+1), 1)))
		}
		legends = append(legends, mem, nil)
	}
	return append(legends, nil)
}

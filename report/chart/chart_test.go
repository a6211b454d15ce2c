package chart_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report/internal/pngtest"

	"github.com/spikegrad/spikegrad/report/chart"
)

func TestBinCounts(t *testing.T) {
	b, err := chart.BinCounts([]chart.CountGroup{{Label: "a", Counts: []float64{0, 0, 1, 3}}, {Label: "b", Counts: []float64{2, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Width != 1 || len(b.Fraction[0]) != 4 || b.Fraction[0][0] != 0.5 || b.Fraction[0][3] != 0.25 || b.Fraction[1][2] != 1 {
		t.Errorf("bins %+v", b)
	}
	// Counts up to 500 (the paper's maximum) fall into at most 60 bins of
	// whole spikes.
	big := make([]float64, 501)
	for i := range big {
		big[i] = float64(i)
	}
	b, _ = chart.BinCounts([]chart.CountGroup{{Counts: big}})
	if b.Width != 9 || len(b.Fraction[0]) > 60 || math.Abs(sum(b.Fraction[0])-1) > 1e-12 {
		t.Errorf("width %g, %d bins, total %g", b.Width, len(b.Fraction[0]), sum(b.Fraction[0]))
	}
	if _, err := chart.BinCounts([]chart.CountGroup{{Label: "x"}}); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("empty group: %v", err)
	}
	path := filepath.Join(t.TempDir(), "counts.png")
	if _, err := chart.DrawCounts(path, "counts", []chart.CountGroup{{Label: "a", Counts: big}}); err != nil {
		t.Fatal(err)
	}
	pngtest.Decodes(t, path, 600)
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func TestBarChart(t *testing.T) {
	v := func(m, s float64, n int) chart.BarValue { return chart.BarValue{Mean: m, Std: s, K: n, N: n} }
	c := chart.BarChart{Title: "t", Clusters: []string{"a", "b"}, Series: []string{"x", "y"},
		Values: [][]chart.BarValue{{v(0.9, 0.01, 5), {}}, {v(0.5, math.NaN(), 1), v(0.99, 0.02, 5)}}, Chance: 0.1}
	path := filepath.Join(t.TempDir(), "bars.png")
	if err := chart.DrawBarChart(path, c); err != nil {
		t.Fatal(err)
	}
	pngtest.Decodes(t, path, 600)
	bad := c
	bad.Values = bad.Values[:1]
	if err := chart.DrawBarChart(path, bad); err == nil || !strings.Contains(err.Error(), "series") {
		t.Errorf("ragged chart: %v", err)
	}
	bad = c
	bad.Chance = 1
	if err := chart.DrawBarChart(path, bad); err == nil || !strings.Contains(err.Error(), "chance") {
		t.Errorf("chance 1: %v", err)
	}
}

func TestCurvesAndWhiskers(t *testing.T) {
	dir := t.TempDir()
	c := chart.CurveChart{Title: "t", XLabel: "epoch", YLabel: "loss", Groups: []string{"a", "b"},
		Curves: []chart.Curve{{Group: 0, X: []float64{1, 2, 3}, Y: []float64{2, 1, 0.5}}, {Group: 1, X: []float64{1, 2}, Y: []float64{2, 2}}}}
	if err := chart.DrawCurves(filepath.Join(dir, "c.png"), c); err != nil {
		t.Fatal(err)
	}
	pngtest.Decodes(t, filepath.Join(dir, "c.png"), 600)
	c.Curves[1].Group = 2
	if err := chart.DrawCurves(filepath.Join(dir, "c.png"), c); err == nil {
		t.Error("curve of an unknown group: want an error")
	}
	if err := chart.DrawWhiskers(filepath.Join(dir, "w.png"), "w", []chart.BoxGroup{{Label: "a", Values: []float64{0.9, 0.95, 0.97, 0.4, 0.96}}, {Label: "b"}}); err != nil {
		t.Fatal(err)
	}
	pngtest.Decodes(t, filepath.Join(dir, "w.png"), 500)
}

// TestRefusals: charts that cannot be drawn say why, naming the panel.
func TestRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.png")
	h := chart.Heatmap{X: []string{"1", "2"}, Y: []string{"a"}, Panels: []chart.HeatPanel{{Title: "p", Values: [][]float64{{1}}}}}
	if err := chart.DrawHeatmap(path, h); err == nil || !strings.Contains(err.Error(), `panel "p"`) {
		t.Errorf("ragged heatmap: %v", err)
	}
	silent := chart.SpikeChart{Series: []chart.SpikeSeries{{Legend: "a", Spikes: []float64{0, 0}, Acc: []float64{0.1, 0.1}}}}
	if err := chart.DrawSpikes(path, silent); err == nil || !strings.Contains(err.Error(), "no run has hidden spikes") {
		t.Errorf("silent runs: %v", err)
	}
	if err := chart.DrawHistogram(path, chart.Histogram{Series: []chart.HistSeries{{Legend: "a"}}}); err == nil {
		t.Error("empty histogram: want an error")
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a refused chart was written")
	}
}

package report_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/report/internal/pngtest"

	"github.com/spikegrad/spikegrad/report"
)

// TestSpikeGrid: fits per panel and group, silent runs left out of the
// fit and counted.
func TestSpikeGrid(t *testing.T) {
	var g report.SpikeGroup
	g.Label = "nh = 1"
	for _, s := range []float64{0, 1, 2, 4, 8, 16, 32, 64, 128} {
		g.Spikes = append(g.Spikes, s)
		g.Acc = append(g.Acc, 0.1+0.88/(1+math.Exp(-(math.Log(s+1e-9)-math.Log(10))/0.4)))
	}
	fit := report.FitSpikeGroup(g)
	if fit.Err != nil || fit.Silent != 1 || fit.Points != 8 || math.Abs(fit.Transition()-10) > 0.5 {
		t.Fatalf("fit %+v", fit)
	}
	path := filepath.Join(t.TempDir(), "grid.png")
	fits, err := report.SpikeGrid(path, []report.SpikePanel{{Title: "a", Groups: []report.SpikeGroup{g}}, {Title: "b", Groups: []report.SpikeGroup{g, {Label: "none", Spikes: []float64{0}, Acc: []float64{0.1}}}}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(fits) != 2 || len(fits[1]) != 2 || fits[1][1].Err == nil || math.Abs(fits[0][0].Transition()-fit.Transition()) > 1e-9 {
		t.Errorf("fits %+v", fits)
	}
	pngtest.Decodes(t, path, 800)
}

package raster_test

import (
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/report/internal/pngtest"

	"github.com/spikegrad/spikegrad/report/raster"
)

func TestInputs(t *testing.T) {
	grid := [][]float64{{0, 1}, {1, 0}}
	path := filepath.Join(t.TempDir(), "in.png")
	err := raster.DrawInputs(path, []raster.InputPanel{
		{Title: "image", Kind: raster.ImagePanel, Grid: grid},
		{Title: "raster", Kind: raster.RasterPanel, Spikes: []raster.Spike{{T: 1, Unit: 2}, {T: 3, Unit: 4, Group: 1}}, XMax: 10, YMax: 10},
		{Title: "mel", Kind: raster.SpectrogramPanel, Grid: grid},
	})
	if err != nil {
		t.Fatal(err)
	}
	pngtest.Decodes(t, path, 800)
	if err := raster.DrawInputs(path, []raster.InputPanel{{Title: "ragged", Kind: raster.ImagePanel, Grid: [][]float64{{1}, {1, 2}}}}); err == nil {
		t.Error("ragged grid: want an error")
	}
}

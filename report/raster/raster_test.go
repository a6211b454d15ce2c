package raster_test

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/report/raster"
)

// decodes checks that path is a PNG at least minW pixels wide.
func decodes(t *testing.T, path string, minW int) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil || img.Bounds().Dx() < minW {
		t.Fatalf("%s: %v, %v", path, err, img)
	}
}

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
	decodes(t, path, 800)
	if err := raster.DrawInputs(path, []raster.InputPanel{{Title: "ragged", Kind: raster.ImagePanel, Grid: [][]float64{{1}, {1, 2}}}}); err == nil {
		t.Error("ragged grid: want an error")
	}
}

package samples

import (
	"context"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report/raster"
)

// TestInputPanelsFromStandIns: without a data folder the SHD raster and the
// Mel spectrogram come from synthetic stand-ins, and their titles say so.
func TestInputPanelsFromStandIns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: writes and loads every stand-in data set: 6 s")
	}
	panels, notes, err := InputPanels(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[raster.InputKind]int{}
	for _, p := range panels {
		kinds[p.Kind]++
		if (strings.Contains(p.Title, "SHD") || p.Kind == raster.SpectrogramPanel) && !strings.Contains(p.Title, "synthetic stand-in") {
			t.Errorf("panel %q does not say it is a stand-in", p.Title)
		}
	}
	if kinds[raster.SpectrogramPanel] != 1 || kinds[raster.RasterPanel] < 1 {
		t.Errorf("panels %v, notes %v", kinds, notes)
	}
	for _, n := range notes {
		if !strings.HasPrefix(n, "MNIST: ") {
			t.Errorf("note %q: only MNIST may be missing", n)
		}
	}
}

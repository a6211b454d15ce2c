package report_test

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/raster"
	"github.com/spikegrad/spikegrad/surrogate"
)

// checkPNG decodes path and checks its size in pixels and that something
// was drawn on it.
func checkPNG(t *testing.T, path string, minW, minH int) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() < minW || b.Dy() < minH || b.Dx() > 6000 || b.Dy() > 6000 {
		t.Errorf("%s is %d × %d px, want at least %d × %d", filepath.Base(path), b.Dx(), b.Dy(), minW, minH)
	}
	colours := map[[4]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("%s has %d colours: blank?", filepath.Base(path), len(colours))
	}
	return img
}

func TestSurrogatesFigure(t *testing.T) {
	path := filepath.Join(figureDir(t), "surrogates.png")
	if err := report.Surrogates(path, nil, nil); err != nil {
		t.Fatal(err)
	}
	img := checkPNG(t, path, 1500, 400)
	// Four panels of 3.1 in and a 0.9 in legend, 3.2 in high, at 144 dpi.
	w, h := (4*3.1+0.9)*144, 3.2*144
	if b := img.Bounds(); b.Dx() != int(w+0.5) || b.Dy() != int(h+0.5) {
		t.Errorf("size %v", b)
	}
	if err := report.Surrogates(path, []surrogate.Shape{surrogate.Esser}, []float64{-1}); err == nil {
		t.Error("negative β accepted")
	}
}

func TestHeatmapFigure(t *testing.T) {
	runs := sweepRuns(t)
	path := filepath.Join(figureDir(t), "heatmap.png")
	if err := report.Heatmap(path, runs, "beta", "lr", []string{"surrogate"}, 3); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 1200, 300)
	one := filepath.Join(figureDir(t), "heatmap-one.png")
	if err := report.Heatmap(one, runs, "beta", "lr", nil, 3); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, one, 500, 300)
	// Cells without runs are grey and marked "–".
	var sparse []report.Run
	for _, r := range runs {
		if s, _ := r.Setting("surrogate"); s != "esser" || r.Record.Settings.LR != 0.01 {
			sparse = append(sparse, r)
		}
	}
	if err := report.Heatmap(filepath.Join(figureDir(t), "heatmap-sparse.png"), sparse, "beta", "lr", []string{"surrogate"}, 3); err != nil {
		t.Fatal(err)
	}
	if err := report.Heatmap(path, runs, "beta", "beta", nil, 3); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("same setting on both axes: %v", err)
	}
}

func TestBarsFigure(t *testing.T) {
	runs := sweepRuns(t)
	path := filepath.Join(figureDir(t), "bars.png")
	if err := report.Bars(path, runs, []string{"surrogate"}, "beta", 5, 0.1); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 600, 400)
	single := filepath.Join(figureDir(t), "bars-single.png")
	if err := report.Bars(single, runs, []string{"surrogate", "readout"}, "", 5, 0); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, single, 600, 400)
	for _, bad := range []struct {
		x      []string
		chance float64
		want   string
	}{{nil, 0, "no setting"}, {[]string{"surrogate"}, 1.5, "chance level"}, {[]string{"nope"}, 0, "unknown setting"}} {
		if err := report.Bars(path, runs, bad.x, "", 5, bad.chance); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("Bars(%v, chance %g) = %v, want %q", bad.x, bad.chance, err, bad.want)
		}
	}
}

func TestSpikesFigure(t *testing.T) {
	runs := spikeRuns(t)
	path := filepath.Join(figureDir(t), "spikes.png")
	fits, err := report.Spikes(path, runs, []string{"hidden"})
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 700, 500)
	if len(fits) != 2 {
		t.Fatalf("%d fits, want 2", len(fits))
	}
	for i, want := range []float64{36, 76} { // "100" sorts before "100,100"
		f := fits[i]
		if f.Err != nil || f.Silent != 2 || f.Points != 30 {
			t.Errorf("fit %s: %+v", f.Label, f)
			continue
		}
		if tr := f.Transition(); tr < want*0.85 || tr > want*1.15 {
			t.Errorf("fit %s: transition %g, want about %g", f.Label, tr, want)
		}
	}
}

func TestHistogramFigure(t *testing.T) {
	runs := sweepRuns(t)
	path := filepath.Join(figureDir(t), "histogram.png")
	if err := report.Histogram(path, runs, []string{"surrogate"}, 5, 0); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 700, 400)
	if err := report.Histogram(path, runs, nil, 5, 3); err == nil || !strings.Contains(err.Error(), "no run has per-neuron activity") {
		t.Errorf("missing layer: %v", err)
	}
}

func TestSnapshotFigure(t *testing.T) {
	dir := figureDir(t)
	snaps := snapshots(4, 100, 20, 50, 10)
	path := filepath.Join(dir, "snapshot.png")
	if err := report.Snapshot(path, snaps, raster.SnapshotOptions{Samples: 3, Traces: 4}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 1200, 1000)
	if err := report.Snapshot(path, snaps, raster.SnapshotOptions{Layer: 1}); err == nil || !strings.Contains(err.Error(), "hidden layer 2 asked for, but sample 0 has 1") {
		t.Errorf("missing layer: %v", err)
	}
	bad := snapshots(2, 10, 5, 5, 3)
	bad[1].Readout = bad[1].Readout[:5]
	if err := report.Snapshot(path, bad, raster.SnapshotOptions{}); err == nil || !strings.Contains(err.Error(), "readout steps") {
		t.Errorf("ragged snapshot: %v", err)
	}
	// A network without hidden layers shows input and readout only.
	flat := snapshots(2, 50, 10, 5, 3)
	for i := range flat {
		flat[i].Spikes, flat[i].Membrane = nil, nil
	}
	if err := report.Snapshot(filepath.Join(dir, "snapshot-flat.png"), flat, raster.SnapshotOptions{}); err != nil {
		t.Error(err)
	}
}

func TestLoadSnapshotsErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"bad.json": "[{", "empty.json": "[]"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		if _, err := report.LoadSnapshots(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// sweepRuns loads a synthetic sweep once per test binary.
func sweepRuns(t *testing.T) []report.Run {
	t.Helper()
	if sweepCache == nil {
		dir := t.TempDir()
		sweep(t, dir)
		sweepCache = load(t, dir).Runs
	}
	return sweepCache
}

var sweepCache []report.Run

// spikeRuns are regularised runs of one and two hidden layers whose
// accuracy falls below 36 and 76 spikes per input, and two silent ones
// each.
func spikeRuns(t *testing.T) []report.Run {
	t.Helper()
	dir := t.TempDir()
	for l, tr := range map[string]float64{"100": 36, "100,100": 76} {
		sig := report.Sigmoid{A: 0.1, B: 0.93, C: log(tr), D: 0.35}
		for i := range 32 {
			s := 0.0
			if i >= 2 {
				s = pow10(0.5 + 2.5*float64(i-2)/29)
			}
			acc := 0.1
			if s > 0 {
				acc = sig.At(s) + 0.01*float64((i*7)%5-2)
			}
			writeRun(t, dir, fakeRun{name: l + "-" + itoa(i), val: acc, test: acc, spikes: []float64{s}, set: map[string]string{"hidden": l}})
		}
	}
	return load(t, dir).Runs
}

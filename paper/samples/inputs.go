package samples

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/mnist"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
	"github.com/spikegrad/spikegrad/report/raster"
	"github.com/spikegrad/spikegrad/run"
)

// InputPanels returns the panels of the input paradigms (paper Fig. 7): a
// latency-coded MNIST digit and its raster, an SHD raster and a Mel
// spectrogram (RawHD), from the real files under data where present and
// from synthetic stand-ins otherwise, which the titles say. notes say why
// a panel is missing; err is for what stops them all.
func InputPanels(ctx context.Context, data string) (panels []raster.InputPanel, notes []string, err error) {
	if img, lat, err := mnistPanels(ctx); err != nil {
		notes = append(notes, "MNIST: "+err.Error())
	} else {
		panels = append(panels, img, lat)
	}
	tmp, err := os.MkdirTemp("", "spikegrad-fig7-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	if p, err := shdPanel(ctx, data, tmp); err != nil {
		notes = append(notes, "SHD: "+err.Error())
	} else {
		panels = append(panels, p)
	}
	if p, err := melPanel(ctx, data, tmp); err != nil {
		notes = append(notes, "RawHD: "+err.Error())
	} else {
		panels = append(panels, p)
	}
	return panels, notes, nil
}

// mnistPanels returns the first test digit and its latency raster.
func mnistPanels(ctx context.Context) (img, lat raster.InputPanel, err error) {
	dir, err := mnist.ModuleDir()
	if err != nil {
		return img, lat, err
	}
	pix, err := firstImage(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"))
	if err != nil {
		return img, lat, err
	}
	s := run.DefaultSettings("mnist")
	s.Limit = 0
	d, err := s.LoadData(ctx)
	if err != nil {
		return img, lat, err
	}
	smp := d.Test.Samples[0]
	img = raster.InputPanel{Title: fmt.Sprintf("a: MNIST test digit\n(label %d)", smp.Label), Kind: raster.ImagePanel, Grid: pix}
	lat = raster.InputPanel{Title: "b: its spike latencies\n(one spike per pixel above ϑ)", Kind: raster.RasterPanel, XLabel: "time (ms)", YLabel: "input neuron",
		XMax: float64(d.Test.Steps) * s.DT, YMax: float64(d.Test.Units), Spikes: spikes(smp, s.DT, 0)}
	return img, lat, nil
}

// firstImage reads the first 28 × 28 image of an idx3 file (gzipped), as
// grey levels in [0, 1].
func firstImage(path string) ([][]float64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	zr, err := gzip.NewReader(bufio.NewReader(fh))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var head [4]uint32
	if err := binary.Read(zr, binary.BigEndian, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if head[0] != 0x803 || head[2] != 28 || head[3] != 28 || head[1] < 1 {
		return nil, fmt.Errorf("%s: not an idx3 file of 28 × 28 images", path)
	}
	buf := make([]byte, 28*28)
	if _, err := io.ReadFull(zr, buf); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([][]float64, 28)
	for i := range out {
		out[i] = make([]float64, 28)
		for j := range out[i] {
			out[i][j] = float64(buf[28*i+j]) / 255
		}
	}
	return out, nil
}

// spikes lists a sample's events as raster spikes of one colour group.
func spikes(s datasets.Sample, dt float64, group int) []raster.Spike {
	out := make([]raster.Spike, len(s.Events))
	for i, e := range s.Events {
		out[i] = raster.Spike{T: float64(e.Step) * dt, Unit: float64(e.Unit), Group: group}
	}
	return out
}

// audioData loads a file-based data set from data/<name>, or from
// synthetic stand-ins written into tmp by write; it says which.
func audioData(ctx context.Context, name, data, tmp string, write func(dir string) error) (*datasets.Data, string, error) {
	s := run.DefaultSettings(name)
	s.DataDir = filepath.Join(data, name)
	source := "real files"
	if st, err := os.Stat(s.DataDir); data == "" || err != nil || !st.IsDir() {
		s.DataDir = filepath.Join(tmp, name)
		if err := write(s.DataDir); err != nil {
			return nil, "", err
		}
		source = "synthetic stand-in"
	}
	d, err := s.LoadData(ctx)
	return d, source, err
}

// shdPanel returns a raster of two SHD samples of different classes.
func shdPanel(ctx context.Context, data, tmp string) (raster.InputPanel, error) {
	d, source, err := audioData(ctx, "shd", data, tmp, func(dir string) error { return synthetic.WriteSHD(dir, 40, 10, 1) })
	if err != nil {
		return raster.InputPanel{}, err
	}
	dt := run.DefaultSettings("shd").DT
	a := d.Test.Samples[0]
	var b datasets.Sample
	for _, s := range d.Test.Samples[1:] {
		if s.Label != a.Label {
			b = s
			break
		}
	}
	name := func(l int) string {
		if l < len(d.ClassNames) {
			return d.ClassNames[l]
		}
		return fmt.Sprint(l)
	}
	return raster.InputPanel{Title: fmt.Sprintf("c: SHD (%s)\nblue %q, vermilion %q", source, name(a.Label), name(b.Label)),
		Kind: raster.RasterPanel, XLabel: "time (ms)", YLabel: "input channel",
		XMax: float64(d.Test.Steps) * dt, YMax: float64(d.Test.Units), Spikes: append(spikes(a, dt, 0), spikes(b, dt, 1)...)}, nil
}

// melPanel returns the Mel spectrogram of a RawHD test sample.
func melPanel(ctx context.Context, data, tmp string) (raster.InputPanel, error) {
	d, source, err := audioData(ctx, "rawhd", data, tmp, func(dir string) error { return synthetic.WriteRawHD(dir, 40, 10, 1) })
	if err != nil {
		return raster.InputPanel{}, err
	}
	sp := d.Test
	dense := make([]float64, sp.Steps*sp.Units)
	sp.Raster(0, dense)
	grid := make([][]float64, sp.Units) // [channel][frame]
	for c := range grid {
		grid[c] = make([]float64, sp.Steps)
		for n := range grid[c] {
			grid[c][n] = dense[n*sp.Units+c]
		}
	}
	label := fmt.Sprint(sp.Samples[0].Label)
	if l := sp.Samples[0].Label; l < len(d.ClassNames) {
		label = d.ClassNames[l]
	}
	return raster.InputPanel{Title: fmt.Sprintf("d: Mel spectrogram, %q\n(RawHD, %s)", label, source), Kind: raster.SpectrogramPanel,
		XLabel: "frame (10 ms)", YLabel: "Mel channel", Grid: grid}, nil
}

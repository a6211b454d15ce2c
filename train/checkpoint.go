package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
)

// A checkpoint is a NumPy .npz file: one 2-D array per weight matrix, named
// as models.Weights.Names (W0, W1, …, Wout, V0, …), of shape [fan_in,
// fan_out] and dtype float32 or float64 — row i holds the weights leaving
// unit i of the layer below — plus "settings", a string holding the run's
// Settings as JSON. With NumPy:
//
//	f = numpy.load("best.npz")
//	W0 = f["W0"]                                 # (inputs, hidden)
//	settings = json.loads(str(f["settings"]))
type Checkpoint struct {
	Settings Settings
	Weights  *models.Weights
}

const settingsKey = "settings"

// SaveCheckpoint writes w and s to path atomically.
func SaveCheckpoint(path string, s *Settings, w *models.Weights) error {
	js, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return writeAtomic(path, func(f *os.File) error {
		zw := npz.NewWriter(f)
		for i, name := range w.Names() {
			if err := zw.Write(name, rowsOf(w.All()[i])); err != nil {
				return fmt.Errorf("array %s: %w", name, err)
			}
		}
		if err := zw.Write(settingsKey, string(js)); err != nil {
			return fmt.Errorf("array %s: %w", settingsKey, err)
		}
		return zw.Close()
	})
}

// rowsOf returns m as nested rows, which npyio writes as a 2-D array.
func rowsOf(m *tensor.Dense) any {
	r, c := m.Shape()[0], m.Shape()[1]
	switch d := m.Data().(type) {
	case []float32:
		out := make([][]float32, r)
		for i := range out {
			out[i] = d[i*c : (i+1)*c]
		}
		return out
	case []float64:
		out := make([][]float64, r)
		for i := range out {
			out[i] = d[i*c : (i+1)*c]
		}
		return out
	}
	return nil
}

// LoadCheckpoint reads a checkpoint and checks that its weights have the
// shapes its settings imply.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	zr, err := npz.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: not a readable .npz file: %w", path, err)
	}
	defer zr.Close()
	var js string
	if err := zr.Read(settingsKey, &js); err != nil {
		return nil, fmt.Errorf("checkpoint %s: no %q entry (is it a spikegrad checkpoint?): %w", path, settingsKey, err)
	}
	c := &Checkpoint{}
	if err := json.Unmarshal([]byte(js), &c.Settings); err != nil {
		return nil, fmt.Errorf("checkpoint %s: settings: %w", path, err)
	}
	if c.Weights, err = readWeights(zr, &c.Settings); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

func readWeights(zr *npz.Reader, s *Settings) (*models.Weights, error) {
	h := zr.Header("W0")
	if h == nil {
		return nil, errors.New("no array W0")
	}
	if len(h.Descr.Shape) != 2 {
		return nil, fmt.Errorf("W0 has shape %v, want 2-D", h.Descr.Shape)
	}
	hOut := zr.Header("Wout")
	if hOut == nil || len(hOut.Descr.Shape) != 2 {
		return nil, errors.New("no 2-D array Wout")
	}
	spec, err := s.Spec(h.Descr.Shape[0], hOut.Descr.Shape[1])
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	dt := tensor.Float32
	if strings.Contains(h.Descr.Type, "f8") {
		dt = tensor.Float64
	}
	w, err := spec.Init(0, dt) // shapes and names to fill
	if err != nil {
		return nil, err
	}
	for i, name := range w.Names() {
		if err := readMatrix(zr, name, w.All()[i]); err != nil {
			return nil, err
		}
	}
	if extra := len(zr.Keys()) - len(w.Names()) - 1; extra != 0 {
		return nil, fmt.Errorf("holds %d arrays, its settings imply %d weight matrices", len(zr.Keys())-1, len(w.Names()))
	}
	return w, nil
}

func readMatrix(zr *npz.Reader, name string, m *tensor.Dense) error {
	h := zr.Header(name)
	if h == nil {
		return fmt.Errorf("no array %s", name)
	}
	if want := []int(m.Shape()); len(h.Descr.Shape) != 2 || h.Descr.Shape[0] != want[0] || h.Descr.Shape[1] != want[1] {
		return fmt.Errorf("array %s has shape %v; its settings imply %v", name, h.Descr.Shape, want)
	}
	switch d := m.Data().(type) {
	case []float32:
		var v []float32
		if err := zr.Read(name, &v); err != nil {
			return fmt.Errorf("array %s: %w", name, err)
		}
		copy(d, v)
	case []float64:
		var v []float64
		if err := zr.Read(name, &v); err != nil {
			return fmt.Errorf("array %s: %w", name, err)
		}
		copy(d, v)
	}
	return nil
}

package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/train"
	"github.com/spikegrad/spikegrad/train/metrics"
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
//
// A checkpoint written to continue from (last.npz) also holds the training
// state: "state", a JSON string with the epoch count, the history, the best
// epoch, the minibatch-order generator, Adam's step count and the run's
// earlier resumptions; Adam's moment estimates as arrays "adam_m_<name>"
// and "adam_v_<name>"; and the best weights so far as "best_<name>".
type Checkpoint struct {
	Settings run.Settings
	Weights  *models.Weights
	// State, if set, continues the run exactly where it stopped.
	State *train.State
	// Resumes are the run's earlier continuations, for its record.
	Resumes []run.Resume
}

const (
	settingsKey = "settings"
	stateKey    = "state"
)

// stateJSON is the "state" entry: the parts of train.State that are not
// arrays.
type stateJSON struct {
	Epoch      int             `json:"epoch"`
	History    []metrics.Epoch `json:"history"`
	BestEpoch  int             `json:"best_epoch"`
	Order      []byte          `json:"order"` // base64
	SolverStep int             `json:"solver_step"`
	Resumes    []run.Resume    `json:"resumes,omitempty"`
}

// SaveCheckpoint writes c to path atomically.
func SaveCheckpoint(path string, c *Checkpoint) error {
	js, err := json.Marshal(&c.Settings)
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	arrays := []struct {
		name string
		m    *tensor.Dense
	}{}
	add := func(prefix string, w []*tensor.Dense) {
		for i, name := range c.Weights.Names() {
			arrays = append(arrays, struct {
				name string
				m    *tensor.Dense
			}{prefix + name, w[i]})
		}
	}
	add("", c.Weights.All())
	var state []byte
	if st := c.State; st != nil {
		if st.Solver.Step > 0 {
			add("adam_m_", st.Solver.M)
			add("adam_v_", st.Solver.V)
		}
		if st.BestEpoch > 0 {
			add("best_", st.Best.All())
		}
		if state, err = json.Marshal(stateJSON{Epoch: st.Epoch, History: st.History, BestEpoch: st.BestEpoch,
			Order: st.Order, SolverStep: st.Solver.Step, Resumes: c.Resumes}); err != nil {
			return fmt.Errorf("checkpoint %s: %w", path, err)
		}
	}
	return atomicfile.Write(path, func(f io.Writer) error {
		zw := npz.NewWriter(f)
		for _, a := range arrays {
			if err := zw.Write(a.name, rowsOf(a.m)); err != nil {
				return fmt.Errorf("array %s: %w", a.name, err)
			}
		}
		if err := zw.Write(settingsKey, string(js)); err != nil {
			return fmt.Errorf("array %s: %w", settingsKey, err)
		}
		if state != nil {
			if err := zw.Write(stateKey, string(state)); err != nil {
				return fmt.Errorf("array %s: %w", stateKey, err)
			}
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

// LoadCheckpoint reads a checkpoint. The network its settings describe
// gives the shape of every array, checked against the file before
// anything is read.
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
	if err := c.read(zr); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

// read reads the weights and the state, if any.
func (c *Checkpoint) read(zr *npz.Reader) error {
	spec, dt, err := specOf(zr, &c.Settings)
	if err != nil {
		return err
	}
	keys := []string{settingsKey}
	readAll := func(prefix string) (*models.Weights, error) {
		w, err := spec.Zeros(dt)
		if err != nil {
			return nil, err
		}
		for i, sh := range spec.Shapes() {
			keys = append(keys, prefix+sh.Name)
			if err := readMatrix(zr, prefix+sh.Name, w.All()[i]); err != nil {
				return nil, err
			}
		}
		return w, nil
	}
	if c.Weights, err = readAll(""); err != nil {
		return err
	}
	if slices.Contains(zr.Keys(), stateKey) {
		keys = append(keys, stateKey)
		if err := c.readState(zr, readAll); err != nil {
			return err
		}
	}
	for _, k := range zr.Keys() {
		if !slices.Contains(keys, k) {
			return fmt.Errorf("holds an array %q that its settings do not explain (weights %s)", k, strings.Join(c.Weights.Names(), ", "))
		}
	}
	return nil
}

func (c *Checkpoint) readState(zr *npz.Reader, readAll func(prefix string) (*models.Weights, error)) error {
	var text string
	if err := zr.Read(stateKey, &text); err != nil {
		return fmt.Errorf("array %s: %w", stateKey, err)
	}
	var sj stateJSON
	if err := json.Unmarshal([]byte(text), &sj); err != nil {
		return fmt.Errorf("array %s: %w", stateKey, err)
	}
	st := &train.State{Epoch: sj.Epoch, History: sj.History, BestEpoch: sj.BestEpoch, Order: sj.Order,
		Solver: train.SolverState{Step: sj.SolverStep}}
	if sj.SolverStep > 0 {
		m, err := readAll("adam_m_")
		if err != nil {
			return err
		}
		v, err := readAll("adam_v_")
		if err != nil {
			return err
		}
		st.Solver.M, st.Solver.V = m.All(), v.All()
	}
	if sj.BestEpoch > 0 {
		var err error
		if st.Best, err = readAll("best_"); err != nil {
			return err
		}
	}
	c.State, c.Resumes = st, sj.Resumes
	return nil
}

// specOf returns the network the settings describe, with the input and
// class counts of the file's first and last weight matrices, and the
// file's float type.
func specOf(zr *npz.Reader, s *run.Settings) (models.Spec, tensor.Dtype, error) {
	first := "W0"
	if len(s.Hidden) == 0 {
		first = "Wout"
	}
	h, hOut := zr.Header(first), zr.Header("Wout")
	if h == nil || hOut == nil || len(h.Descr.Shape) != 2 || len(hOut.Descr.Shape) != 2 {
		return models.Spec{}, tensor.Float32, fmt.Errorf("no 2-D arrays %s and Wout", first)
	}
	spec, err := s.Spec(h.Descr.Shape[0], hOut.Descr.Shape[1])
	if err != nil {
		return spec, tensor.Float32, fmt.Errorf("settings: %w", err)
	}
	dt := tensor.Float32
	if strings.Contains(h.Descr.Type, "f8") {
		dt = tensor.Float64
	}
	return spec, dt, nil
}

func readMatrix(zr *npz.Reader, name string, m *tensor.Dense) error {
	h := zr.Header(name)
	if h == nil {
		return errors.New("no array " + name)
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

package runner

import (
	"archive/zip"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/internal/npyrows"
	"github.com/spikegrad/spikegrad/internal/readlimit"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/train"
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
	// Numerics is the version of the arithmetic (run.Numerics) that made
	// State; a checkpoint written before it was kept, of version 1, reads
	// as 1. SaveCheckpoint writes run.Numerics when it is 0.
	Numerics int
	// Notes say what loading a NIR file from another library assumed
	// (its discretisation, its time step), for the log and the record.
	Notes []string
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
	Watch      train.Watch     `json:"divergence_watch"`
	Numerics   int             `json:"numerics,omitempty"`
}

// SaveCheckpoint writes c to path atomically.
func SaveCheckpoint(path string, c *Checkpoint) error {
	write, err := c.encoder()
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return atomicfile.Write(path, write)
}

// encoder returns the function that writes c as an .npz file.
func (c *Checkpoint) encoder() (func(io.Writer) error, error) {
	js, err := json.Marshal(&c.Settings)
	if err != nil {
		return nil, err
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
			Order: st.Order, SolverStep: st.Solver.Step, Resumes: c.Resumes, Watch: st.Watch, Numerics: cmp.Or(c.Numerics, run.Numerics)}); err != nil {
			return nil, err
		}
	}
	return func(f io.Writer) error {
		zw := npz.NewWriter(f)
		for _, a := range arrays {
			rows, err := npyrows.Of(a.m)
			if err != nil {
				return fmt.Errorf("array %s: %w", a.name, err)
			}
			if err := zw.Write(a.name, rows); err != nil {
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
	}, nil
}

// Limits of the string entries of a checkpoint, in characters: the
// settings are a few kilobytes, the state grows by about a kilobyte per
// epoch.
const (
	maxSettingsChars = 1 << 20
	maxStateChars    = 64 << 20
)

// LoadCheckpoint reads a checkpoint. It is written for files from anywhere:
// the settings are validated first, the network they describe gives the
// shape of every array, and every header is checked against that shape and
// against the size of its entry before anything is allocated; a network
// too large for this machine's memory is refused before its weights are
// read. Arrays in Fortran order are transposed; NumPy's own names
// (np.savez writes W0.npy) are accepted; weights that are not finite
// numbers are refused. Errors name the file and the entry.
func LoadCheckpoint(path string) (c *Checkpoint, err error) {
	defer func() {
		// The reader below is meant not to panic on any input; should it,
		// the user gets an error naming the file, not a stack trace.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("checkpoint %s: unreadable file (reader failure: %v)", path, r)
		}
	}()
	c, err = loadCheckpoint(path)
	var nr *readlimit.NotRegularError
	switch {
	case errors.As(err, &nr):
		return nil, fmt.Errorf("checkpoint %s is %s, not a regular file", path, nr.Kind)
	case err != nil:
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return c, nil
}

func loadCheckpoint(path string) (*Checkpoint, error) {
	f, err := readlimit.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if n := zipEntries(f, fi.Size()); n > maxEntries {
		return nil, fmt.Errorf("a zip archive of %d entries; a checkpoint holds a few dozen arrays", n)
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("not a readable .npz file (a zip archive of .npy arrays): %w", err)
	}
	entries := map[string]npyEntry{}
	for _, zf := range zr.File {
		name := strings.TrimSuffix(zf.Name, ".npy")
		if _, dup := entries[name]; dup {
			return nil, fmt.Errorf("two arrays named %q", name)
		}
		entries[name] = npyEntry{name: name, f: zf}
	}
	e, ok := entries[settingsKey]
	if !ok {
		return nil, fmt.Errorf("no %q entry (is it a spikegrad checkpoint?)", settingsKey)
	}
	js, err := readString(e, maxSettingsChars)
	if err != nil {
		return nil, fmt.Errorf("array %s: %w", settingsKey, err)
	}
	c := &Checkpoint{}
	if err := json.Unmarshal([]byte(js), &c.Settings); err != nil {
		return nil, fmt.Errorf("array %s: %w", settingsKey, err)
	}
	// The settings come from the file: they must be valid before they
	// size anything, and the limits of this machine apply, not theirs.
	c.Settings.MaxMemory = 0
	if err := c.Settings.Validate(); err != nil {
		return nil, fmt.Errorf("array %s: %w", settingsKey, err)
	}
	if err := c.read(entries); err != nil {
		return nil, err
	}
	return c, nil
}

// read reads the weights and the state, if any.
func (c *Checkpoint) read(entries map[string]npyEntry) error {
	spec, dt, err := specOf(entries, &c.Settings)
	if err != nil {
		return err
	}
	_, hasState := entries[stateKey]
	if err := checkWeightMemory(spec, dt, hasState); err != nil {
		return err
	}
	keys := []string{settingsKey}
	readAll := func(prefix string) (*models.Weights, error) {
		w, err := models.Zeros(spec, dt)
		if err != nil {
			return nil, err
		}
		for i, sh := range spec.Params() {
			name := prefix + sh.Name
			keys = append(keys, name)
			e, ok := entries[name]
			if !ok {
				return nil, fmt.Errorf("no array %s (its settings describe weights %s)", name, strings.Join(w.Names(), ", "))
			}
			m := w.All()[i]
			r, cols := m.Shape()[0], m.Shape()[1]
			switch d := m.Data().(type) {
			case []float32:
				err = readMatrix(e, r, cols, d)
			case []float64:
				err = readMatrix(e, r, cols, d)
			}
			if err != nil {
				return nil, fmt.Errorf("array %s: %w", name, err)
			}
		}
		return w, nil
	}
	if c.Weights, err = readAll(""); err != nil {
		return err
	}
	if e, ok := entries[stateKey]; ok {
		keys = append(keys, stateKey)
		if err := c.readState(e, readAll); err != nil {
			return err
		}
	}
	var extra []string
	for k := range entries {
		if !slices.Contains(keys, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("holds an array %q that its settings do not explain (weights %s)", extra[0], strings.Join(c.Weights.Names(), ", "))
	}
	return nil
}

// checkWeightMemory refuses a network whose weights (and, with a state,
// Adam's moments and the best weights) would not fit in this machine's
// memory, before they are allocated.
func checkWeightMemory(spec network.Spec, dt tensor.Dtype, state bool) error {
	limit, from := run.MachineMemory()
	if limit <= 0 {
		return nil
	}
	var n float64
	for _, sh := range spec.Params() {
		n += float64(sh.Rows) * float64(sh.Cols)
	}
	copies := 1.0
	if state {
		copies = 4
	}
	need := n * float64(dt.Size()) * copies
	if need > float64(limit)/2 {
		return fmt.Errorf("array settings: the network it describes (hidden = %v) has %.3g weights, %s to read, more than half of the %s limit (%s)",
			spec.Hidden, n, readlimit.Size(int64(min(need, math.MaxInt64/2))), readlimit.Size(limit), from)
	}
	return nil
}

func (c *Checkpoint) readState(e npyEntry, readAll func(prefix string) (*models.Weights, error)) error {
	text, err := readString(e, maxStateChars)
	if err != nil {
		return fmt.Errorf("array %s: %w", stateKey, err)
	}
	var sj stateJSON
	if err := json.Unmarshal([]byte(text), &sj); err != nil {
		return fmt.Errorf("array %s: %w", stateKey, err)
	}
	if sj.Epoch < 0 || sj.Epoch > run.MaxEpochs || len(sj.History) != sj.Epoch || sj.BestEpoch < 0 || sj.BestEpoch > sj.Epoch || sj.SolverStep < 0 ||
		sj.Numerics < 0 || sj.Numerics > run.Numerics {
		return fmt.Errorf("array %s: inconsistent training state: %d epochs, %d in the history, best epoch %d, solver step %d, arithmetic version %d (this build knows 1 to %d)",
			stateKey, sj.Epoch, len(sj.History), sj.BestEpoch, sj.SolverStep, sj.Numerics, run.Numerics)
	}
	c.Numerics = max(sj.Numerics, 1)
	st := &train.State{Epoch: sj.Epoch, History: sj.History, BestEpoch: sj.BestEpoch, Order: sj.Order,
		Solver: train.SolverState{Step: sj.SolverStep}, Watch: sj.Watch}
	if st.History == nil {
		st.History = []metrics.Epoch{}
	}
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
func specOf(entries map[string]npyEntry, s *run.Settings) (network.Spec, tensor.Dtype, error) {
	layers := network.Spec{Hidden: s.Hidden} // enough to name the weights
	first, last := layers.WeightName(0), layers.WeightName(len(s.Hidden))
	var hs [2]npyHeader
	for i, name := range []string{first, last} {
		e, ok := entries[name]
		if !ok {
			return network.Spec{}, tensor.Float32, fmt.Errorf("no array %s", name)
		}
		h, err := e.header()
		if err != nil {
			return network.Spec{}, tensor.Float32, fmt.Errorf("array %s: %w", name, err)
		}
		if len(h.shape) != 2 {
			return network.Spec{}, tensor.Float32, fmt.Errorf("array %s: shape %v, want a matrix", name, h.shape)
		}
		hs[i] = h
	}
	inputs, classes := hs[0].shape[0], hs[1].shape[1]
	if inputs < 1 || inputs > run.MaxWidth || classes < 1 || classes > run.MaxWidth {
		return network.Spec{}, tensor.Float32, fmt.Errorf("arrays %s and %s: %d inputs and %d classes, want 1 to %d", first, last, inputs, classes, run.MaxWidth)
	}
	spec, err := s.Spec(inputs, classes)
	if err != nil {
		return spec, tensor.Float32, fmt.Errorf("array %s: %w", settingsKey, err)
	}
	size, _, err := floatType(hs[0].descr)
	if err != nil {
		return spec, tensor.Float32, fmt.Errorf("array %s: %w", first, err)
	}
	if size == 8 {
		return spec, tensor.Float64, nil
	}
	return spec, tensor.Float32, nil
}

package runner

// NIR files as checkpoints: the whole integration of package nir into
// training and evaluation. LoadNetwork is called where checkpoints are
// loaded (cmd/eval, plan for --resume) and dispatches on the .nir
// extension.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/nir"
	"github.com/spikegrad/spikegrad/run"
)

// IsNIR reports whether path names a NIR file (by its extension, .nir).
func IsNIR(path string) bool { return strings.EqualFold(filepath.Ext(path), ".nir") }

// LoadNetwork reads a checkpoint: a .npz file written by SaveCheckpoint, or a
// NIR file (.nir, see package nir).
//
// A NIR file written by cmd/export carries its run's settings; one written
// by another library does not, and then base supplies them (nil: the file
// cannot be used) and base.DT is taken as the file's time step, in the unit
// of its time constants. Either way the network comes from the file: the
// returned settings' hidden, recurrent, tau-mem, tau-syn and tau-readout are
// the file's (its time constants expressed for the settings' dt), and so
// are readout and steps if the file records them.
func LoadNetwork(path string, base *run.Settings) (*Checkpoint, error) {
	return LoadNetworkWith(path, base, nir.Options{})
}

// LoadNetworkWith is LoadNetwork with what a NIR file from another library
// leaves open: opt.DT, its time step in the unit of its time constants
// (0: base.DT), and opt.Discretisation. The checkpoint's Notes say what
// was assumed.
func LoadNetworkWith(path string, base *run.Settings, given nir.Options) (*Checkpoint, error) {
	if !IsNIR(path) {
		return LoadCheckpoint(path)
	}
	f, err := nir.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s run.Settings
	var opt nir.Options
	switch js, ok := f.Graph.Metadata["spikegrad_settings"]; {
	case ok && js.IsString:
		if err := json.Unmarshal([]byte(js.Str), &s); err != nil {
			return nil, fmt.Errorf("nir: %s: metadata spikegrad_settings: %w", path, err)
		}
	case base != nil:
		s, opt.DT = *base, base.DT
		if given.DT != 0 {
			opt.DT = given.DT
		}
		if _, ok := f.Graph.Metadata["dt"]; ok && given.DT == 0 {
			opt.DT = 0 // the file's own
		}
	default:
		return nil, fmt.Errorf("nir: %s: no spikegrad settings in its metadata (not written by cmd/export): say which data set it is for", path)
	}
	opt.Discretisation = given.Discretisation
	n, err := nir.FromGraph(f.Graph, opt)
	if err != nil {
		if _, ok := f.Graph.Metadata["dt"]; !ok && given.DT == 0 && base != nil {
			return nil, fmt.Errorf("nir: %s: %w (the file records no time step, so the data set's, %g, was taken in the unit of its time constants: "+
				"give its own, e.g. 0.0001 for snnTorch's seconds, with cmd/eval --nir-dt or cmd/train --resume-dt)", path, err, base.DT)
		}
		return nil, fmt.Errorf("nir: %s: %w", path, err)
	}
	adopt(&s, n)
	notes := n.Notes
	if !n.Has("dt") {
		notes = append(notes, fmt.Sprintf("the file's time step, %g in the unit of its time constants, is one step of the data set's grid, %g ms", opt.DT, s.DT))
	}
	return &Checkpoint{Settings: s, Weights: n.Weights, Notes: notes}, nil
}

// adopt sets the network settings of s to those of n. Time constants keep
// their decay per step, exp(−Δt/τ), on s's time grid.
func adopt(s *run.Settings, n *nir.Network) {
	sp := n.Spec
	scale := 1.0
	if sp.DT != s.DT {
		scale = s.DT / sp.DT
	}
	s.Hidden, s.Recurrent = append([]int(nil), sp.Hidden...), sp.Recurrent
	s.Discretisation = sp.Discretisation
	adoptNeuron(s, sp.Neuron)
	s.TauMem, s.TauSyn, s.TauReadout = sp.TauMem*scale, sp.TauSyn*scale, sp.TauReadout*scale
	if !s.Recurrent {
		s.RecurrentGrad = false
	}
	if n.Has("readout") {
		s.Readout = sp.Readout.String()
	}
	if n.Has("steps") {
		s.Steps = sp.Steps
	}
}

// adoptNetwork gives s, a run resuming from a NIR file, the network of the
// file's settings c: layers, recurrence, readout and time constants, these
// with the decay per step of c on the time grid of s. The run keeps its
// data set, steps and time step.
func adoptNetwork(s, c *run.Settings) {
	scale := s.DT / c.DT
	s.Hidden, s.Recurrent, s.Readout = append([]int(nil), c.Hidden...), c.Recurrent, c.Readout
	s.Discretisation = c.Discretisation
	adoptNeuron(s, c.Neuron)
	s.TauMem, s.TauSyn, s.TauReadout = c.TauMem*scale, c.TauSyn*scale, c.TauReadout*scale
	if !s.Recurrent {
		s.RecurrentGrad = false
	}
}

// adoptNeuron gives s the neuron model of a NIR file's network, which the
// file's arrays decide (per-neuron time constants are lif-learn-tau's). A
// model of the same equations that s names already is kept
// (lif-learn-tau-gamma differs from lif-learn-tau only in its start), and
// so is s's spelling of the LIF, so that the settings of a LIF run do not
// change.
func adoptNeuron(s *run.Settings, model string) {
	name := func(n string) string {
		if n == "" {
			return network.DefaultNeuron
		}
		return n
	}
	learnt := func(n string) bool { return n == learntau.Name || n == learntau.GammaName }
	if name(s.Neuron) == name(model) || learnt(s.Neuron) && learnt(model) {
		return
	}
	s.Neuron = model
}

// Package torchref connects spikegrad to torchref.py, the PyTorch CPU
// reference of its networks in this folder (issue 25): it writes a network,
// its weights and a batch as a problem file the reference reads, runs the
// reference, and reads back its loss and gradients.
//
// The reference needs a python3 with torch and numpy (Debian's
// python3-torch), or the interpreter SPIKEGRAD_PYTHON names; Available says
// whether it is there.
// TestGradientsMatchTorch compares the reference with the training engine,
// and bench/compare.sh times the two against each other.
package torchref

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"codeberg.org/sbinet/npyio/npz"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/npyrows"
	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Config is the network description of a problem file (its "config"
// entry, JSON), in the terms of torchref.py.
type Config struct {
	Inputs        int     `json:"inputs"`
	Hidden        []int   `json:"hidden"`
	Outputs       int     `json:"outputs"`
	Steps         int     `json:"steps"`
	Recurrent     bool    `json:"recurrent"`
	DiffReset     bool    `json:"diff_reset"`
	RecurrentGrad bool    `json:"recurrent_grad"`
	Readout       string  `json:"readout"` // "max" or "sum"
	Surrogate     string  `json:"surrogate"`
	SurrogateBeta float64 `json:"surrogate_beta"`
	BetaSyn       float64 `json:"beta_syn"`
	BetaMem       float64 `json:"beta_mem"`
	BetaOut       float64 `json:"beta_out"`
	Reg           Reg     `json:"reg"`
	DType         string  `json:"dtype"` // "float32" or "float64"
	LR            float64 `json:"lr"`    // Adam's learning rate (bench)
	// Restore puts the weights back before every timed step (bench), as
	// the SHD benchmarks of package train do to hold the activity fixed.
	Restore bool `json:"restore"`
}

// Reg holds the activity regularisers (network.Regularization).
type Reg struct {
	LowerStrength  float64 `json:"lower_strength"`
	LowerThreshold float64 `json:"lower_threshold"`
	UpperStrength  float64 `json:"upper_strength"`
	UpperThreshold float64 `json:"upper_threshold"`
	UpperExp       int     `json:"upper_exp"`
}

// ConfigOf describes spec for the reference, which knows the LIF neuron
// (network.DefaultNeuron) only.
func ConfigOf(spec network.Spec, dt tensor.Dtype) (Config, error) {
	if spec.Neuron != "" && spec.Neuron != network.DefaultNeuron {
		return Config{}, fmt.Errorf("torchref: neuron model %q: the reference has the %s only", spec.Neuron, network.DefaultNeuron)
	}
	readout := "max"
	if spec.Readout == network.SumOverTime {
		readout = "sum"
	}
	r := spec.Reg
	return Config{
		Inputs: spec.Inputs, Hidden: append([]int{}, spec.Hidden...), Outputs: spec.Outputs, Steps: spec.Steps,
		Recurrent: spec.Recurrent, DiffReset: spec.DifferentiableReset, RecurrentGrad: spec.RecurrentGrad,
		Readout: readout, Surrogate: spec.Surrogate.Shape.String(), SurrogateBeta: spec.Surrogate.Beta,
		BetaSyn: spec.Decay(spec.TauSyn), BetaMem: spec.Decay(spec.TauMem), BetaOut: spec.Decay(spec.TauReadout),
		Reg:   Reg{r.LowerStrength, r.LowerThreshold, r.UpperStrength, r.UpperThreshold, r.UpperExp},
		DType: dt.String(), LR: 5e-3,
	}, nil
}

// WriteProblem writes the network cfg, the weights w and the samples idx
// of split (their events and labels) to path as an .npz problem file.
// Dense samples are written as their non-zero entries.
func WriteProblem(path string, cfg Config, w *models.Weights, split *datasets.Split, idx []int) error {
	js, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	vs := map[string]any{"config": string(js)}
	for i, name := range w.Names() {
		rows, err := npyrows.Of(w.All()[i])
		if err != nil {
			return fmt.Errorf("torchref: %s: %w", name, err)
		}
		vs[name] = rows
	}
	var sample, step, unit []int32
	var value []float64
	labels := make([]int32, len(idx))
	for b, k := range idx {
		s := split.Samples[k]
		labels[b] = int32(s.Label)
		add := func(n, u int, v float64) {
			if v != 0 {
				sample, step, unit, value = append(sample, int32(b)), append(step, int32(n)), append(unit, int32(u)), append(value, v)
			}
		}
		if s.Dense.Len() > 0 {
			for n := 0; n < split.Steps; n++ {
				for u := 0; u < split.Units; u++ {
					add(n, u, float64(s.Dense.At(n*split.Units+u)))
				}
			}
			continue
		}
		for _, e := range s.Events {
			add(int(e.Step), int(e.Unit), float64(e.Value))
		}
	}
	if len(sample) == 0 { // npyio cannot write an empty slice
		sample, step, unit, value = []int32{0}, []int32{0}, []int32{0}, []float64{0}
	}
	vs["sample"], vs["step"], vs["unit"], vs["value"], vs["labels"] = sample, step, unit, value, labels
	return npz.Write(path, vs)
}

// Result is what the reference computed for a problem: the loss with the
// regularisers, the cross-entropy alone, and the gradient of the loss by
// weight name, flattened row-major, in float64.
type Result struct {
	Loss, CE float64
	Grads    map[string][]float64
}

// Python is the interpreter that runs the reference: $SPIKEGRAD_PYTHON, or
// the first python3 that imports torch and numpy, Debian's /usr/bin/python3
// (where python3-torch installs) tried first; "" if there is none.
func Python() string {
	if p := os.Getenv("SPIKEGRAD_PYTHON"); p != "" {
		return p
	}
	return pyexec.Find("torch", "numpy")
}

// Script is the path of torchref.py, next to this file.
func Script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "torchref.py")
}

// Available reports why the reference cannot run here, or nil.
func Available() error {
	if Python() == "" {
		return errors.New("no python3 that imports torch and numpy (apt-get install python3-torch)")
	}
	out, err := exec.Command(Python(), "-c", "import torch, numpy").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s cannot import torch and numpy: %v: %s", Python(), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Grad runs the reference on the problem file at path, in the problem's
// dtype or the one given ("float32", "float64"; "" for the problem's), and
// returns its loss and gradients.
func Grad(problem, dtype string) (Result, error) {
	dir, err := os.MkdirTemp("", "torchref")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out.npz")
	if dtype == "" {
		dtype = "auto"
	}
	cmd := exec.Command(Python(), Script(), "grad", "--dtype", dtype, problem, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return Result{}, fmt.Errorf("torchref.py grad: %v: %s", err, msg)
	}
	r, err := npz.Open(out)
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	res := Result{Grads: map[string][]float64{}}
	for _, k := range r.Keys() {
		var v []float64
		if err := r.Read(k, &v); err != nil {
			return Result{}, fmt.Errorf("entry %s: %w", k, err)
		}
		switch {
		case k == "loss" || k == "loss.npy":
			res.Loss = v[0]
		case k == "ce" || k == "ce.npy":
			res.CE = v[0]
		case strings.HasPrefix(k, "grad_"):
			res.Grads[strings.TrimSuffix(strings.TrimPrefix(k, "grad_"), ".npy")] = v
		}
	}
	if len(res.Grads) == 0 {
		return Result{}, errors.New("torchref.py grad wrote no gradients")
	}
	return res, nil
}

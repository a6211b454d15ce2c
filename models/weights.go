package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/network"
)

// Weights holds what a network learns, as tensors: W[l] feeds hidden layer
// l and the last W feeds the readout, each [fan_in, fan_out]; V[l] is
// hidden layer l's [units, units] recurrent matrix (V is empty for
// feed-forward nets); Neuron are the neuron model's per-neuron parameters,
// [1, units] each. Zeros makes them, named by network.Spec.Params.
type Weights struct {
	W      []*tensor.Dense
	V      []*tensor.Dense
	Neuron []*tensor.Dense
	names  []string // of All, from network.Spec.Params
}

// Zeros returns all-zero weights of the shapes of s, to be filled: by
// Init, or by a checkpoint reader. dt is tensor.Float32 or tensor.Float64.
func Zeros(s network.Spec, dt tensor.Dtype) (*Weights, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("model: dtype %v unsupported, want float32 or float64", dt)
	}
	w := &Weights{}
	for _, p := range s.Params() {
		m := tensor.New(tensor.WithShape(p.Rows, p.Cols), tensor.Of(dt))
		switch {
		case p.PerNeuron:
			w.Neuron = append(w.Neuron, m)
		case p.Recurrent:
			w.V = append(w.V, m)
		default:
			w.W = append(w.W, m)
		}
		w.names = append(w.names, p.Name)
	}
	return w, nil
}

// Init draws the weight matrices of s from U(−g√k, g√k), k = 1/fan_in
// of each matrix, with a PCG stream seeded by seed, in Params order, and
// sets each per-neuron parameter to its model's initial value, or draws
// it from the same stream when the model says how (NeuronParam.Draw). dt is
// tensor.Float32 or tensor.Float64.
func Init(s network.Spec, seed uint64, dt tensor.Dtype) (*Weights, error) {
	w, err := Zeros(s, dt)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x1417))
	for _, m := range append(w.W[:len(w.W):len(w.W)], w.V...) {
		uniform(rng, m, s.Gain)
	}
	// The model's draws come after every weight, so that they leave the
	// weights of a seed as they are.
	for i, p := range neuronParams(s) {
		if p.Draw != nil {
			draw(w.Neuron[i], rng, p.Draw)
		} else {
			fill(w.Neuron[i], p.Init)
		}
	}
	return w, nil
}

// neuronParams lists the model's per-neuron parameters of every layer in
// the order of w.Neuron (network.Spec.Params). network.Param leaves out
// NeuronParam.Draw, which would make it incomparable.
func neuronParams(s network.Spec) []network.NeuronParam {
	n, err := network.LookupNeuron(s.Neuron)
	if err != nil {
		return nil // Validate refused it before
	}
	var out []network.NeuronParam
	for l := 0; l <= len(s.Hidden); l++ {
		out = append(out, n.Params(l == len(s.Hidden))...)
	}
	return out
}

func draw(m *tensor.Dense, rng *rand.Rand, f func(*rand.Rand) float64) {
	switch d := m.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = f(rng)
		}
	case []float32:
		for i := range d {
			d[i] = float32(f(rng))
		}
	}
}

func fill(m *tensor.Dense, v float64) {
	switch d := m.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = v
		}
	case []float32:
		for i := range d {
			d[i] = float32(v)
		}
	}
}

// uniform fills m from U(−g√k, g√k), k = 1/fan_in. The draws are made in
// float64 and rounded, so float32 and float64 weights of one seed agree.
func uniform(rng *rand.Rand, m *tensor.Dense, gain float64) {
	bound := gain * math.Sqrt(1/float64(m.Shape()[0]))
	switch d := m.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = bound * (2*rng.Float64() - 1)
		}
	case []float32:
		for i := range d {
			d[i] = float32(bound * (2*rng.Float64() - 1))
		}
	}
}

// Clone returns a deep copy of w.
func (w *Weights) Clone() *Weights {
	c := &Weights{names: w.names}
	clone := func(ms []*tensor.Dense) (out []*tensor.Dense) {
		for _, m := range ms {
			out = append(out, m.Clone().(*tensor.Dense))
		}
		return out
	}
	c.W, c.V, c.Neuron = clone(w.W), clone(w.V), clone(w.Neuron)
	return c
}

// All returns the tensors in Params order: W[0…], V[0…], then Neuron.
func (w *Weights) All() []*tensor.Dense {
	return append(append(append([]*tensor.Dense(nil), w.W...), w.V...), w.Neuron...)
}

// Names returns the name of each tensor of All (network.Spec.Params).
func (w *Weights) Names() []string { return append([]string(nil), w.names...) }

// Assemble names w, v and neuron as the weights of s, in the order of
// network.Spec.Params, for tensors made elsewhere (a file's, say). It
// checks nothing; New does.
func Assemble(s network.Spec, w, v, neuron []*tensor.Dense) *Weights {
	return &Weights{W: w, V: v, Neuron: neuron, names: namesOf(s.Params())}
}

// PerNeuron returns the per-neuron parameters (Neuron) by name, as
// float64: what a run record keeps of a model's learnt neuron parameters,
// a few hundred numbers where the weights are megabytes. It returns nil
// for models without any, the LIF among them.
func (w *Weights) PerNeuron() map[string][]float64 {
	if len(w.Neuron) == 0 {
		return nil
	}
	names := w.names[len(w.names)-len(w.Neuron):]
	out := make(map[string][]float64, len(w.Neuron))
	for i, m := range w.Neuron {
		var v []float64
		switch d := m.Data().(type) {
		case []float64:
			v = append(v, d...)
		case []float32:
			v = make([]float64, len(d))
			for k, x := range d {
				v[k] = float64(x)
			}
		}
		out[names[i]] = v
	}
	return out
}

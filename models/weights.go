package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/tensor"
)

// Weights holds a network's weight matrices: W[l] feeds hidden layer l and
// the last W feeds the readout, each [fan_in, fan_out]; V[l] is hidden layer
// l's [units, units] recurrent matrix (V is empty for feed-forward nets).
type Weights struct {
	W []*tensor.Dense
	V []*tensor.Dense
}

// Zeros returns all-zero weights of the shapes of s, to be filled: by
// Init, or by a checkpoint reader. dt is tensor.Float32 or tensor.Float64.
func Zeros(s Spec, dt tensor.Dtype) (*Weights, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("model: dtype %v unsupported, want float32 or float64", dt)
	}
	w := &Weights{}
	nW := len(s.Hidden) + 1
	for i, sh := range s.Shapes() {
		m := tensor.New(tensor.WithShape(sh.Rows, sh.Cols), tensor.Of(dt))
		if i < nW {
			w.W = append(w.W, m)
		} else {
			w.V = append(w.V, m)
		}
	}
	return w, nil
}

// Init draws weights for s from U(−g√k, g√k), k = 1/fan_in of each matrix,
// with a PCG stream seeded by seed, in Shapes order. dt is tensor.Float32
// or tensor.Float64.
func Init(s Spec, seed uint64, dt tensor.Dtype) (*Weights, error) {
	w, err := Zeros(s, dt)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x1417))
	for _, m := range w.All() {
		uniform(rng, m, s.Gain)
	}
	return w, nil
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
	c := &Weights{}
	for _, m := range w.W {
		c.W = append(c.W, m.Clone().(*tensor.Dense))
	}
	for _, m := range w.V {
		c.V = append(c.V, m.Clone().(*tensor.Dense))
	}
	return c
}

// All returns the matrices in a fixed order: W[0…], then V[0…].
func (w *Weights) All() []*tensor.Dense {
	return append(append([]*tensor.Dense(nil), w.W...), w.V...)
}

// Names returns a name per matrix of All: "W0"… for hidden layers,
// "Wout" for the readout and "V0"… for recurrent matrices.
func (w *Weights) Names() []string {
	var names []string
	for l := range w.W {
		if l == len(w.W)-1 {
			names = append(names, "Wout")
		} else {
			names = append(names, fmt.Sprintf("W%d", l))
		}
	}
	for l := range w.V {
		names = append(names, fmt.Sprintf("V%d", l))
	}
	return names
}

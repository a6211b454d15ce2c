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

// Init draws weights for s from U(−g√k, g√k), k = 1/fan_in of each matrix,
// with a PCG stream seeded by seed. dt is tensor.Float32 or tensor.Float64.
func (s Spec) Init(seed uint64, dt tensor.Dtype) (*Weights, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("model: dtype %v unsupported, want float32 or float64", dt)
	}
	rng := rand.New(rand.NewPCG(seed, 0x1417))
	sz := s.Sizes()
	w := &Weights{}
	for l := 0; l+1 < len(sz); l++ {
		w.W = append(w.W, uniform(rng, sz[l], sz[l+1], s.Gain, dt))
	}
	if s.Recurrent {
		for _, h := range s.Hidden {
			w.V = append(w.V, uniform(rng, h, h, s.Gain, dt))
		}
	}
	return w, nil
}

func uniform(rng *rand.Rand, fanIn, fanOut int, gain float64, dt tensor.Dtype) *tensor.Dense {
	bound := gain * math.Sqrt(1/float64(fanIn))
	vals := make([]float64, fanIn*fanOut)
	for i := range vals {
		vals[i] = bound * (2*rng.Float64() - 1)
	}
	if dt == tensor.Float32 {
		v32 := make([]float32, len(vals))
		for i, v := range vals {
			v32[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(fanIn, fanOut), tensor.WithBacking(v32))
	}
	return tensor.New(tensor.WithShape(fanIn, fanOut), tensor.WithBacking(vals))
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

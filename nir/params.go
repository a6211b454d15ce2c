package nir

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gorgonia.org/tensor"
)

func (c *chain) inputWidth() (int, error) {
	return c.shape(c.input, "shape")
}

func (c *chain) outputWidth(want int) error {
	n, err := c.shape(c.output, "shape")
	if err == nil && n != want {
		err = fmt.Errorf("node %s: field shape: [%d], but the readout has %d neurons", c.output, n, want)
	}
	return err
}

// shape reads a one-dimensional shape [n].
func (c *chain) shape(node, field string) (int, error) {
	a, ok := c.g.Nodes[node].Params[field]
	if !ok {
		return 0, fmt.Errorf("node %s: field %s: missing", node, field)
	}
	if a.Len() != 1 || len(a.Data) != 1 || len(a.Shape) > 1 {
		return 0, fmt.Errorf("node %s: field %s: %v, want one dimension (spikegrad's inputs and outputs are vectors)", node, field, a.Data)
	}
	n := a.Data[0]
	if n < 1 || n > 1<<24 || n != math.Trunc(n) {
		return 0, fmt.Errorf("node %s: field %s: [%g], want a whole number of units ≥ 1", node, field, n)
	}
	return int(n), nil
}

// weights reads the (out, in) weight of a Linear or Affine node that takes
// in inputs; out must be want unless want is 0.
func (c *chain) weights(node string, in, want int) (Array, error) {
	n := c.g.Nodes[node]
	w, ok := n.Params["weight"]
	if !ok {
		return Array{}, fmt.Errorf("node %s: field weight: missing", node)
	}
	if len(w.Shape) != 2 || w.Shape[1] != in || w.Shape[0] < 1 || want > 0 && w.Shape[0] != want {
		wantOut := "out"
		if want > 0 {
			wantOut = fmt.Sprint(want)
		}
		return Array{}, fmt.Errorf("node %s: field weight: shape %v, want (%s, %d) for its %d inputs", node, w.Shape, wantOut, in, in)
	}
	if err := finite(node, "weight", w); err != nil {
		return Array{}, err
	}
	if n.Type == "Affine" {
		b, ok := n.Params["bias"]
		if !ok {
			return Array{}, fmt.Errorf("node %s: field bias: missing (an Affine node needs one; spikegrad's is zero)", node)
		}
		if b.Len() != w.Shape[0] || len(b.Shape) > 1 {
			return Array{}, fmt.Errorf("node %s: field bias: shape %v, want (%d)", node, b.Shape, w.Shape[0])
		}
		for i, x := range b.Data {
			if x != 0 {
				return Array{}, fmt.Errorf("node %s: field bias: %g at %d: spikegrad's synapses have no bias (only a zero bias is accepted)", node, x, i)
			}
		}
	}
	return w, nil
}

// neurons reads the parameters of a CubaLIF (or, for the readout, CubaLI)
// node of n neurons: each field an array of one value per neuron or a
// scalar for all of them.
func (c *chain) neurons(node string, n int, dt float64, readout bool) (neuronParams, error) {
	params := c.g.Nodes[node].Params
	val := func(field string, optional bool, def float64) ([]float64, error) {
		a, ok := params[field]
		if !ok {
			if optional {
				return spread(n, def), nil
			}
			return nil, fmt.Errorf("node %s: field %s: missing", node, field)
		}
		if len(a.Shape) > 1 || a.Len() != n && a.Len() != 1 || len(a.Data) != a.Len() {
			return nil, fmt.Errorf("node %s: field %s: shape %v, want (%d), one value per neuron", node, field, a.Shape, n)
		}
		if err := finite(node, field, a); err != nil {
			return nil, err
		}
		if len(a.Data) == 1 {
			return spread(n, a.Data[0]), nil
		}
		return a.Data, nil
	}
	var p neuronParams
	var err error
	var r, wIn, leak, reset []float64
	thr := spread(n, 1) // the readout's, which does not spike
	for _, f := range []struct {
		name     string
		dst      *[]float64
		optional bool
		def      float64
	}{{"tau_syn", &p.tauSyn, false, 0}, {"tau_mem", &p.tauMem, false, 0}, {"r", &r, false, 0}, {"w_in", &wIn, true, 1}, // w_in defaults to 1, as in the reference
		{"v_leak", &leak, false, 0}, {"v_reset", &reset, true, 0}, // v_reset is optional since NIR 1.0.6
		{"v_threshold", &thr, readout, 1}} {
		if readout && (f.name == "v_reset" || f.name == "v_threshold") {
			continue // a spiking last layer read as the readout: both ignored
		}
		if *f.dst, err = val(f.name, f.optional, f.def); err != nil {
			return p, err
		}
	}
	for _, f := range []struct {
		name string
		v    []float64
	}{{"v_leak", leak}, {"v_reset", reset}} {
		for i, x := range f.v {
			if x != 0 {
				return p, fmt.Errorf("node %s: field %s: %g at %d: spikegrad's neurons leak and reset to zero", node, f.name, x, i)
			}
		}
	}
	p.betaSyn, p.betaMem, p.gain = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		if !readout && !(thr[i] > 0) {
			return p, fmt.Errorf("node %s: field v_threshold: %g at %d: want a positive threshold", node, thr[i], i)
		}
		for _, f := range []struct {
			name string
			tau  float64
			dst  *float64
		}{{"tau_syn", p.tauSyn[i], &p.betaSyn[i]}, {"tau_mem", p.tauMem[i], &p.betaMem[i]}} {
			if !(f.tau > dt) {
				return p, fmt.Errorf("node %s: field %s: %g at %d is not longer than the time step Δt = %g (the decay 1 − Δt/τ must lie in (0, 1))",
					node, f.name, f.tau, i, dt)
			}
			*f.dst = 1 - dt/f.tau
		}
		p.gain[i] = r[i] * wIn[i] * (dt / p.tauSyn[i]) / thr[i]
		if math.IsInf(p.gain[i], 0) || math.IsNaN(p.gain[i]) {
			return p, fmt.Errorf("node %s: fields r, w_in, v_threshold: the input gain r·w_in·Δt/τ_syn/v_threshold = %g at %d is not finite", node, p.gain[i], i)
		}
	}
	return p, nil
}

// spread returns n copies of v.
func spread(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// finite reports the first value of a that is not finite.
func finite(node, field string, a Array) error {
	for i, x := range a.Data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("node %s: field %s: %g at index %s", node, field, x, index(a.Shape, i))
		}
	}
	return nil
}

// index formats the flat index i of an array of the given shape.
func index(shape []int, i int) string {
	if len(shape) < 2 {
		return fmt.Sprint(i)
	}
	idx := make([]string, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		idx[d] = fmt.Sprint(i % shape[d])
		i /= shape[d]
	}
	return "(" + strings.Join(idx, ", ") + ")"
}

func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= sameTol*math.Max(math.Abs(a), math.Abs(b))
}

// toWeights transposes the (out, in) weights to spikegrad's [in, out] and
// folds each neuron's input gain into the column of the matrices that
// feed it. The dtype is float32 if every matrix is stored as float32,
// float64 otherwise.
func toWeights(ws, vs []Array, gains [][]float64) (w, v []*tensor.Dense) {
	f32 := true
	for _, a := range append(slices.Clone(ws), vs...) {
		f32 = f32 && a.Float32
	}
	conv := func(a Array, gain []float64) *tensor.Dense {
		out, in := a.Shape[0], a.Shape[1]
		v := make([]float64, in*out)
		for j := 0; j < out; j++ {
			scale := math.Abs(gain[j]-1) > unitTol
			for i := 0; i < in; i++ {
				x := a.Data[j*in+i]
				if scale {
					x *= gain[j]
				}
				v[i*out+j] = x
			}
		}
		return dense(in, out, v, f32)
	}
	for l, a := range ws {
		w = append(w, conv(a, gains[l]))
	}
	for l, a := range vs {
		v = append(v, conv(a, gains[l]))
	}
	return w, v
}

// dense returns v as a [rows, cols] tensor, float32 if f32.
func dense(rows, cols int, v []float64, f32 bool) *tensor.Dense {
	if !f32 {
		return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v))
	}
	v32 := make([]float32, len(v))
	for i, x := range v {
		v32[i] = float32(x)
	}
	return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(v32))
}

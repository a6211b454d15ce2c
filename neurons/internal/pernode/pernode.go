// Package pernode holds what the neuron models of package neurons share
// to unroll layers with per-neuron parameters out of Gorgonia's own ops:
// spreading a [1, units] parameter over the batch, element-wise sums of
// products that treat nil nodes as zeros, and the spike count.
package pernode

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops"
)

// Batch returns the batch size of the first non-nil input, 0 if every
// input is nil.
func Batch(in []*G.Node) int {
	for _, x := range in {
		if x != nil {
			return x.Shape()[0]
		}
	}
	return 0
}

// Spread returns ones[batch, 1] × p for a [1, units] node p: p in every
// row of a [batch, units] node, so that each step multiplies element-wise
// and p's gradient is the sum over rows that the product's backward pass
// forms. name names the ones in the graph and must differ between layers.
func Spread(g *G.ExprGraph, p *G.Node, batch int, name string) (*G.Node, error) {
	dt := p.Dtype()
	ones := G.NodeFromAny(g, tensor.New(tensor.WithShape(batch, 1), tensor.Of(dt), tensor.WithBacking(Filled(dt, batch, 1))),
		G.WithName(name))
	return G.Mul(ones, p)
}

// Const returns a [1, len(v)] node of the values v in g.
func Const(g *G.ExprGraph, dt tensor.Dtype, v []float64, name string) *G.Node {
	var back any = v
	if dt == tensor.Float32 {
		d := make([]float32, len(v))
		for i, x := range v {
			d[i] = float32(x)
		}
		back = d
	}
	return G.NodeFromAny(g, tensor.New(tensor.WithShape(1, len(v)), tensor.Of(dt), tensor.WithBacking(back)), G.WithName(name))
}

// Filled returns n copies of v as a []float32 or []float64.
func Filled(dt tensor.Dtype, n int, v float64) any {
	if dt == tensor.Float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(v)
		}
		return d
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = v
	}
	return d
}

// Scalar is the constant v of dtype dt.
func Scalar(dt tensor.Dtype, v float64) *G.Node {
	if dt == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// Dot is Σ p_k ⊙ x_k over the pairs p_0, x_0, p_1, x_1, … whose x is not
// nil (zero); nil if every x is.
func Dot(pairs ...*G.Node) (*G.Node, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("pernode: Dot of %d nodes, want pairs", len(pairs))
	}
	var out *G.Node
	for k := 0; k < len(pairs); k += 2 {
		if pairs[k+1] == nil {
			continue
		}
		term, err := G.HadamardProd(pairs[k], pairs[k+1])
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = term
		} else if out, err = G.Add(out, term); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Count is Σ_n S[n] over the non-nil spikes; nil if there are none.
func Count(spikes []*G.Node) (*G.Node, error) {
	var live []*G.Node
	for _, s := range spikes {
		if s != nil {
			live = append(live, s)
		}
	}
	switch len(live) {
	case 0:
		return nil, nil
	case 1:
		return live[0], nil
	}
	return ops.Sum(live...)
}

// Stops returns what a layer's update reads of its spikes spk: the reset
// and the recurrent input, each spk itself where the gradient flows
// through it and ops.Detach(spk) where it does not. rec is nil without
// recurrent weights.
func Stops(spk *G.Node, diffReset, recurrent, recurrentGrad bool) (reset, rec *G.Node, err error) {
	if spk == nil {
		return nil, nil, nil
	}
	reset, rec = spk, spk
	if !diffReset || (recurrent && !recurrentGrad) {
		detached, err := ops.Detach(spk)
		if err != nil {
			return nil, nil, err
		}
		if !diffReset {
			reset = detached
		}
		if !recurrentGrad {
			rec = detached
		}
	}
	if !recurrent {
		rec = nil
	}
	return reset, rec, nil
}

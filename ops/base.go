package ops

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// float is the element type of the tensors the ops work on.
type float = kernel.Float

// elementwise holds what the element-wise ops share: n inputs of one shape
// and type, and an output of that shape and type.
type elementwise struct {
	n       int
	workers *parallel.Workers // of the graph the op was built in
}

// elems is elementwise for n inputs, in the graph of node.
func elems(n int, node *G.Node) elementwise { return elementwise{n, workersOf(node)} }

func (e elementwise) Arity() int { return e.n }

func (e elementwise) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := make([]hm.Type, e.n+1)
	for i := range ts {
		ts[i] = a
	}
	return hm.NewFnType(ts...)
}

func (e elementwise) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != e.n {
		return nil, fmt.Errorf("want %d inputs, got %d", e.n, len(in))
	}
	first, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("input 0 has no tensor shape")
	}
	for i, d := range in[1:] {
		s, ok := d.(tensor.Shape)
		if !ok || !s.Eq(first) {
			return nil, fmt.Errorf("input %d has shape %v, input 0 has %v", i+1, d, first)
		}
	}
	return first.Clone(), nil
}

func (elementwise) ReturnsPtr() bool     { return false }
func (elementwise) CallsExtern() bool    { return false }
func (elementwise) OverwritesInput() int { return -1 }

// allInputs is DiffWRT for an op differentiable in all its n inputs.
func allInputs(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// hashOf hashes an op's printed form, which names the op and its parameters.
func hashOf(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	writeHash(h, op)
	return h.Sum32()
}

func writeHash(h hash.Hash, op fmt.Stringer) { fmt.Fprint(h, op.String()) }

// output returns the preallocated value p when it matches ref's shape and
// type, and a new tensor like ref otherwise.
func output(p, ref G.Value) (G.Value, error) {
	if _, ok := ref.(tensor.Tensor); !ok {
		return nil, fmt.Errorf("want a tensor input, got %T", ref)
	}
	if p != nil && p.Dtype() == ref.Dtype() && p.Shape().Eq(ref.Shape()) {
		return p, nil
	}
	return tensor.New(tensor.WithShape(ref.Shape().Clone()...), tensor.Of(ref.Dtype())), nil
}

// sameKind checks that all inputs are tensors of one dtype and shape.
func sameKind(op fmt.Stringer, in []G.Value) error {
	for i, v := range in {
		if _, ok := v.(tensor.Tensor); !ok {
			return fmt.Errorf("%v: input %d is a %T, want a tensor", op, i, v)
		}
		if v.Dtype() != in[0].Dtype() {
			return fmt.Errorf("%v: input %d has dtype %v, input 0 has %v", op, i, v.Dtype(), in[0].Dtype())
		}
		if !v.Shape().Eq(in[0].Shape()) {
			return fmt.Errorf("%v: input %d has shape %v, input 0 has %v", op, i, v.Shape(), in[0].Shape())
		}
	}
	return nil
}

// dtypeError reports an element type the ops do not support.
func dtypeError(op fmt.Stringer, v G.Value) error {
	return fmt.Errorf("%v: unsupported dtype %v (want float32 or float64)", op, v.Dtype())
}

// scalar reads a scalar value (a Gorgonia scalar or a one-element tensor).
func scalar(v G.Value) (float64, error) {
	switch x := v.Data().(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case []float64:
		if len(x) == 1 {
			return x[0], nil
		}
	case []float32:
		if len(x) == 1 {
			return float64(x[0]), nil
		}
	}
	return 0, fmt.Errorf("want a scalar, got %T of shape %v", v, v.Shape())
}

// dataOf returns v.Data() without the reflection Dense.Data pays on every
// call: the typed backing slice of float tensors.
func dataOf(v G.Value) any {
	if t, ok := v.(*tensor.Dense); ok && !t.IsScalar() {
		switch t.Dtype() {
		case tensor.Float32:
			return t.Float32s()
		case tensor.Float64:
			return t.Float64s()
		}
	}
	return v.Data()
}

// layerIDs numbers the layers whose ops carry per-layer state (Synapses,
// LIFCell). Gorgonia merges nodes whose op hashes and children are equal,
// so such an op must print its layer's number: otherwise two layers that
// read the same weight and input nodes (tied weights) would share nodes.
var layerIDs atomic.Uint64

func newLayerID() uint64 { return layerIDs.Add(1) }

// gradientOnly is DiffWRT for the ops of backward passes. Gorgonia takes an
// op without DiffWRT for a cut in the graph, and a second G.Grad, which
// walks the first one's gradient nodes too, would fail on it; an op
// differentiable in none of its inputs is merely a dead end.
func gradientOnly(n int) []bool { return make([]bool, n) }

var errSecondOrder = errors.New("ops: second derivatives are not supported (the op is part of a backward pass)")

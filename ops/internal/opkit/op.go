package opkit

import (
	"errors"
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// Elementwise holds what the element-wise ops share: N inputs of one shape
// and type, and an output of that shape and type.
type Elementwise struct {
	N       int
	Workers *parallel.Workers // of the graph the op was built in
}

// Elems is Elementwise for n inputs, in the graph of node.
func Elems(n int, node *G.Node) Elementwise { return Elementwise{n, WorkersOf(node)} }

func (e Elementwise) Arity() int { return e.N }

func (e Elementwise) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := make([]hm.Type, e.N+1)
	for i := range ts {
		ts[i] = a
	}
	return hm.NewFnType(ts...)
}

func (e Elementwise) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != e.N {
		return nil, fmt.Errorf("want %d inputs, got %d", e.N, len(in))
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

func (Elementwise) ReturnsPtr() bool     { return false }
func (Elementwise) CallsExtern() bool    { return false }
func (Elementwise) OverwritesInput() int { return -1 }

// Matrix holds what the fused ops of a layer share: N matrix inputs of one
// element type, a matrix output, and no in-place tricks.
type Matrix struct {
	N       int
	Workers *parallel.Workers // of the graph the op was built in
}

// Matrices is Matrix for n inputs, in the graph of node.
func Matrices(n int, node *G.Node) Matrix { return Matrix{n, WorkersOf(node)} }

func (m Matrix) Arity() int { return m.N }

func (m Matrix) Type() hm.Type {
	ts := make([]hm.Type, m.N+1)
	for i := range ts {
		ts[i] = hm.TypeVariable('a')
	}
	return hm.NewFnType(ts...)
}

func (Matrix) ReturnsPtr() bool     { return false }
func (Matrix) CallsExtern() bool    { return false }
func (Matrix) OverwritesInput() int { return -1 }

// AllInputs is DiffWRT for an op differentiable in all its n inputs.
func AllInputs(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// GradientOnly is DiffWRT for the ops of backward passes. Gorgonia takes an
// op without DiffWRT for a cut in the graph, and a second G.Grad, which
// walks the first one's gradient nodes too, would fail on it; an op
// differentiable in none of its inputs is merely a dead end.
func GradientOnly(n int) []bool { return make([]bool, n) }

// ErrSecondOrder is the SymDiff error of the ops of backward passes.
var ErrSecondOrder = errors.New("ops: second derivatives are not supported (the op is part of a backward pass)")

// Hash hashes an op's printed form, which names the op and its parameters:
// Gorgonia merges nodes whose op hashes and children are equal, so the
// printed form must carry everything that tells two nodes apart.
func Hash(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	WriteHash(h, op)
	return h.Sum32()
}

// WriteHash writes op's printed form to h.
func WriteHash(h hash.Hash, op fmt.Stringer) { fmt.Fprint(h, op.String()) }

package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
)

// Sum returns the element-wise sum of xs, all of one shape, as one node
// (for example a neuron's spike count over all time steps). Each input
// receives the incoming gradient unchanged.
func Sum(xs ...*G.Node) (*G.Node, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("ops.Sum: no inputs")
	}
	return G.ApplyOp(sumOp{elementwise{len(xs)}}, xs...)
}

type sumOp struct{ elementwise }

func (op sumOp) String() string        { return fmt.Sprintf("Sum[%d]", op.n) }
func (op sumOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op sumOp) Hashcode() uint32      { return hashOf(op) }
func (op sumOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}
func (op sumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op sumOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameKind(op, in); err != nil {
		return nil, err
	}
	out, err := output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch o := dataOf(out).(type) {
	case []float64:
		clear(o)
		for _, v := range in {
			accumulate(o, dataOf(v).([]float64))
		}
	case []float32:
		clear(o)
		for _, v := range in {
			accumulate(o, dataOf(v).([]float32))
		}
	default:
		return nil, dtypeError(op, in[0])
	}
	return out, nil
}

func accumulate[T float](dst, x []T) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += v
	}
}

func (op sumOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gs := make(G.Nodes, len(in))
	for i := range gs {
		gs[i] = grad
	}
	return gs, nil
}

package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// MaxOverTime returns the element-wise maximum of xs, all of one shape, as
// one node; with zero set, an all-zero tensor takes part before xs[0]. It
// computes exactly what the chain MaxBetween(…MaxBetween(x0, x1)…, x_k)
// computes, and sends the gradient of every element to the one input the
// chain would: the one holding the maximum, the earliest of ties (the zero,
// if it ties, receives it and passes nothing on).
func MaxOverTime(zero bool, xs ...*G.Node) (*G.Node, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("ops.MaxOverTime: no inputs")
	}
	return G.ApplyOp(maxTimeOp{opkit.Elems(len(xs), xs[0]), zero}, xs...)
}

type maxTimeOp struct {
	opkit.Elementwise
	zero bool
}

func (op maxTimeOp) String() string                    { return fmt.Sprintf("MaxOverTime[%d,zero=%t]", op.N, op.zero) }
func (op maxTimeOp) WriteHash(h hash.Hash)             { opkit.WriteHash(h, op) }
func (op maxTimeOp) Hashcode() uint32                  { return opkit.Hash(op) }
func (op maxTimeOp) DiffWRT(n int) []bool              { return opkit.AllInputs(n) }
func (op maxTimeOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op maxTimeOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	return runMaxTime(op, op.zero, false, p, in)
}

// SymDiff finds the winning input of every element once, then hands each
// input the incoming gradient where it won.
func (op maxTimeOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	idx, err := G.ApplyOp(argmaxTimeOp{opkit.Elems(len(in), in[0]), op.zero}, in...)
	if err != nil {
		return nil, err
	}
	out := make(G.Nodes, len(in))
	for j := range in {
		if out[j], err = G.ApplyOp(pickOp{opkit.Elems(2, grad), j}, grad, idx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// argmaxTimeOp writes, for every element, the index of the input that wins
// the maximum (−1 for the leading zero), as a number.
type argmaxTimeOp struct {
	opkit.Elementwise
	zero bool
}

func (op argmaxTimeOp) String() string {
	return fmt.Sprintf("ArgmaxOverTime[%d,zero=%t]", op.N, op.zero)
}
func (op argmaxTimeOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op argmaxTimeOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op argmaxTimeOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}
func (op argmaxTimeOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	return runMaxTime(op, op.zero, true, p, in)
}

func runMaxTime(op fmt.Stringer, zero, arg bool, p G.Value, in []G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		xs := make([][]float32, len(in))
		for j, v := range in {
			xs[j] = opkit.DataOf(v).([]float32)
		}
		kernel.MaxOverTime(o, zero, arg, xs)
	case []float64:
		xs := make([][]float64, len(in))
		for j, v := range in {
			xs[j] = opkit.DataOf(v).([]float64)
		}
		kernel.MaxOverTime(o, zero, arg, xs)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// pickOp writes g where idx equals j, zero elsewhere.
type pickOp struct {
	opkit.Elementwise
	j int
}

func (op pickOp) String() string        { return fmt.Sprintf("Pick[%d]", op.j) }
func (op pickOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op pickOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op pickOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}
func (op pickOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		kernel.Pick(o, opkit.DataOf(in[0]).([]float32), opkit.DataOf(in[1]).([]float32), float32(op.j))
	case []float64:
		kernel.Pick(o, opkit.DataOf(in[0]).([]float64), opkit.DataOf(in[1]).([]float64), float64(op.j))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (argmaxTimeOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (argmaxTimeOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (pickOp) DiffWRT(n int) []bool                               { return opkit.GradientOnly(n) }
func (pickOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, opkit.ErrSecondOrder }

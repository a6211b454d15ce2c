package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// Axpby returns a·x + b·y element-wise for constants a and b: the leaky
// integration steps of a neuron in a single node.
func Axpby(a float64, x *G.Node, b float64, y *G.Node) (*G.Node, error) {
	return G.ApplyOp(axpbyOp{opkit.Elems(2, x), a, b}, x, y)
}

// Scale returns a·x for a constant a, without building a tensor of a's.
func Scale(a float64, x *G.Node) (*G.Node, error) {
	return G.ApplyOp(scaleOp{opkit.Elems(1, x), a}, x)
}

// scaled is grad·a, reusing grad itself when a is 1.
func scaled(a float64, grad *G.Node) (*G.Node, error) {
	if a == 1 {
		return grad, nil
	}
	return Scale(a, grad)
}

type axpbyOp struct {
	opkit.Elementwise
	a, b float64
}

func (op axpbyOp) String() string        { return fmt.Sprintf("Axpby[%g,%g]", op.a, op.b) }
func (op axpbyOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op axpbyOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op axpbyOp) DiffWRT(int) []bool    { return []bool{true, true} }
func (op axpbyOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op axpbyOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch x := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.Axpby(opkit.DataOf(out).([]float64), op.a, x, op.b, opkit.DataOf(in[1]).([]float64))
	case []float32:
		kernel.Axpby(opkit.DataOf(out).([]float32), float32(op.a), x, float32(op.b), opkit.DataOf(in[1]).([]float32))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func (op axpbyOp) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gx, err := scaled(op.a, grad)
	if err != nil {
		return nil, err
	}
	gy, err := scaled(op.b, grad)
	return G.Nodes{gx, gy}, err
}

type scaleOp struct {
	opkit.Elementwise
	a float64
}

func (op scaleOp) String() string        { return fmt.Sprintf("Scale[%g]", op.a) }
func (op scaleOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op scaleOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op scaleOp) DiffWRT(int) []bool    { return []bool{true} }
func (op scaleOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op scaleOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch x := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.Scale(opkit.DataOf(out).([]float64), op.a, x)
	case []float32:
		kernel.Scale(opkit.DataOf(out).([]float32), float32(op.a), x)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func (op scaleOp) SymDiff(_ G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := scaled(op.a, grad)
	return G.Nodes{g}, err
}

package loss

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// SoftmaxCrossEntropy returns the mean over samples of the cross-entropy
// between softmax(logits) and the targets, both [batch, classes]:
//
//	L = −(1/N) Σ_b Σ_c y_bc·log softmax(logits_b)_c,   N = Σ_bc y_bc
//
// Target rows are one-hot for real samples and all zero for padding, so a
// batch padded to the graph's fixed size neither counts nor receives
// gradient for its padding rows. The log-softmax is computed stably.
func SoftmaxCrossEntropy(logits, targets *G.Node) (*G.Node, error) {
	return G.ApplyOp(xentOp{}, logits, targets)
}

type xentOp struct{}

func matrixType() hm.Type { return G.TensorType{Dims: 2, Of: hm.TypeVariable('a')} }

func (xentOp) Arity() int { return 2 }
func (xentOp) Type() hm.Type {
	return hm.NewFnType(matrixType(), matrixType(), hm.TypeVariable('a'))
}
func (op xentOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if err := sameMatrices(in...); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return tensor.ScalarShape(), nil
}
func (xentOp) ReturnsPtr() bool         { return false }
func (xentOp) CallsExtern() bool        { return false }
func (xentOp) OverwritesInput() int     { return -1 }
func (op xentOp) String() string        { return "SoftmaxCrossEntropy" }
func (op xentOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op xentOp) Hashcode() uint32      { return opkit.Hash(op) }
func (xentOp) DiffWRT(int) []bool       { return []bool{true, false} }

func (op xentOp) Do(in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	cols := in[0].Shape()[1]
	switch z := opkit.DataOf(in[0]).(type) {
	case []float64:
		v := G.F64(kernel.CrossEntropy(z, opkit.DataOf(in[1]).([]float64), cols))
		return &v, nil
	case []float32:
		v := G.F32(kernel.CrossEntropy(z, opkit.DataOf(in[1]).([]float32), cols))
		return &v, nil
	}
	return nil, opkit.DtypeError(op, in[0])
}

func (op xentOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(xentGradOp{}, in[0], in[1], grad)
	return G.Nodes{g, nil}, err
}

// sameMatrices checks that all shapes are the same matrix shape.
func sameMatrices(in ...G.DimSizer) error {
	first, ok := in[0].(tensor.Shape)
	if !ok || len(first) != 2 {
		return fmt.Errorf("want [batch, classes] inputs, got %v", in[0])
	}
	for _, d := range in[1:] {
		if s, ok := d.(tensor.Shape); !ok || !s.Eq(first) {
			return fmt.Errorf("inputs have shapes %v and %v, want equal", first, d)
		}
	}
	return nil
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

// xentGradOp computes dL/dlogits from (logits, targets, grad of L):
// grad/N · (Σ_c y_bc · softmax_bc − y_bc).
type xentGradOp struct{}

func (xentGradOp) Arity() int { return 3 }
func (xentGradOp) Type() hm.Type {
	return hm.NewFnType(matrixType(), matrixType(), hm.TypeVariable('a'), matrixType())
}
func (op xentGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if err := sameMatrices(in[:2]...); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return in[0].(tensor.Shape).Clone(), nil
}
func (xentGradOp) ReturnsPtr() bool         { return false }
func (xentGradOp) CallsExtern() bool        { return false }
func (xentGradOp) OverwritesInput() int     { return -1 }
func (op xentGradOp) String() string        { return "SoftmaxCrossEntropyGrad" }
func (op xentGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op xentGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op xentGradOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op xentGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in[:2]); err != nil {
		return nil, err
	}
	g, err := scalar(in[2])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	cols := in[0].Shape()[1]
	switch z := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.CrossEntropyGrad(opkit.DataOf(out).([]float64), z, opkit.DataOf(in[1]).([]float64), cols, g)
	case []float32:
		kernel.CrossEntropyGrad(opkit.DataOf(out).([]float32), z, opkit.DataOf(in[1]).([]float32), cols, g)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (xentGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (xentGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

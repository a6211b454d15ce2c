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

// LowerBound returns the per-element lower-bound penalty of x [batch, M],
// averaged over the weighted rows:
//
//	(1/N) Σ_b w_b · (λ/M) Σ_i relu(ν − x_bi)²,   N = Σ_b w_b
//
// where w_b is the sum of row b of weights (for example the one-hot targets,
// which are zero for padding rows). With x a layer's spike counts it keeps
// every neuron above ν spikes.
func LowerBound(x, weights *G.Node, lambda, nu float64) (*G.Node, error) {
	return G.ApplyOp(penaltyOp{kernel.Penalty{Lower: true, Lambda: lambda, Nu: nu, Exp: 2}}, x, weights)
}

// UpperBound returns the row-mean upper-bound penalty of x [batch, M],
// averaged over the weighted rows like LowerBound:
//
//	(1/N) Σ_b w_b · λ·relu((1/M) Σ_i x_bi − ν)^L
//
// With x a layer's spike counts it caps the population's mean count at ν.
func UpperBound(x, weights *G.Node, lambda, nu float64, L int) (*G.Node, error) {
	if L < 1 {
		return nil, fmt.Errorf("loss.UpperBound: exponent must be ≥ 1, got %d", L)
	}
	return G.ApplyOp(penaltyOp{kernel.Penalty{Lambda: lambda, Nu: nu, Exp: L}}, x, weights)
}

type penaltyOp struct{ p kernel.Penalty }

func (penaltyOp) Arity() int { return 2 }
func (penaltyOp) Type() hm.Type {
	return hm.NewFnType(G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}, G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}, hm.TypeVariable('a'))
}
func (op penaltyOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if err := sameRows(in[0], in[1]); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return tensor.ScalarShape(), nil
}
func (penaltyOp) ReturnsPtr() bool         { return false }
func (penaltyOp) CallsExtern() bool        { return false }
func (penaltyOp) OverwritesInput() int     { return -1 }
func (penaltyOp) DiffWRT(int) []bool       { return []bool{true, false} }
func (op penaltyOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op penaltyOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op penaltyOp) String() string {
	if op.p.Lower {
		return fmt.Sprintf("LowerBound[λ=%g,ν=%g]", op.p.Lambda, op.p.Nu)
	}
	return fmt.Sprintf("UpperBound[λ=%g,ν=%g,L=%d]", op.p.Lambda, op.p.Nu, op.p.Exp)
}

// sameRows checks two matrices with the same number of rows.
func sameRows(a, b G.DimSizer) error {
	sa, ok1 := a.(tensor.Shape)
	sb, ok2 := b.(tensor.Shape)
	if !ok1 || !ok2 || len(sa) != 2 || len(sb) != 2 || sa[0] != sb[0] {
		return fmt.Errorf("want two matrices with equal row counts, got %v and %v", a, b)
	}
	return nil
}

func (op penaltyOp) Do(in ...G.Value) (G.Value, error) {
	cols, wcols := in[0].Shape()[1], in[1].Shape()[1]
	switch x := in[0].Data().(type) {
	case []float64:
		w, ok := in[1].Data().([]float64)
		if !ok {
			return nil, opkit.DtypeError(op, in[1])
		}
		v := G.F64(op.p.Value(x, w, cols, wcols))
		return &v, nil
	case []float32:
		w, ok := in[1].Data().([]float32)
		if !ok {
			return nil, opkit.DtypeError(op, in[1])
		}
		v := G.F32(op.p.Value(kernel.ToFloat64(x), kernel.ToFloat64(w), cols, wcols))
		return &v, nil
	}
	return nil, opkit.DtypeError(op, in[0])
}

func (op penaltyOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(penaltyGradOp{op}, in[0], in[1], grad)
	return G.Nodes{g, nil}, err
}

// penaltyGradOp computes d penalty/dx from (x, weights, grad).
type penaltyGradOp struct{ of penaltyOp }

func (penaltyGradOp) Arity() int { return 3 }
func (penaltyGradOp) Type() hm.Type {
	m := G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, hm.TypeVariable('a'), m)
}
func (op penaltyGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if err := sameRows(in[0], in[1]); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	return in[0].(tensor.Shape).Clone(), nil
}
func (penaltyGradOp) ReturnsPtr() bool         { return false }
func (penaltyGradOp) CallsExtern() bool        { return false }
func (penaltyGradOp) OverwritesInput() int     { return -1 }
func (op penaltyGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op penaltyGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op penaltyGradOp) String() string        { return op.of.String() + "Grad" }
func (op penaltyGradOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op penaltyGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if in[0].Dtype() != in[1].Dtype() {
		return nil, fmt.Errorf("%v: dtypes %v and %v differ", op, in[0].Dtype(), in[1].Dtype())
	}
	g, err := scalar(in[2])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	cols, wcols := in[0].Shape()[1], in[1].Shape()[1]
	switch x := in[0].Data().(type) {
	case []float64:
		op.of.p.Grad(out.Data().([]float64), x, in[1].Data().([]float64), cols, wcols, g)
	case []float32:
		res := make([]float64, len(x))
		op.of.p.Grad(res, kernel.ToFloat64(x), kernel.ToFloat64(in[1].Data().([]float32)), cols, wcols, g)
		o := out.Data().([]float32)
		for i, v := range res {
			o[i] = float32(v)
		}
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (penaltyGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (penaltyGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

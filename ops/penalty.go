package ops

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
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
	return G.ApplyOp(penaltyOp{lower: true, lambda: lambda, nu: nu, exp: 2}, x, weights)
}

// UpperBound returns the row-mean upper-bound penalty of x [batch, M],
// averaged over the weighted rows like LowerBound:
//
//	(1/N) Σ_b w_b · λ·relu((1/M) Σ_i x_bi − ν)^L
//
// With x a layer's spike counts it caps the population's mean count at ν.
func UpperBound(x, weights *G.Node, lambda, nu float64, L int) (*G.Node, error) {
	if L < 1 {
		return nil, fmt.Errorf("ops.UpperBound: exponent must be ≥ 1, got %d", L)
	}
	return G.ApplyOp(penaltyOp{lambda: lambda, nu: nu, exp: L}, x, weights)
}

type penaltyOp struct {
	lower      bool
	lambda, nu float64
	exp        int
}

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
func (op penaltyOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op penaltyOp) Hashcode() uint32      { return hashOf(op) }
func (op penaltyOp) String() string {
	if op.lower {
		return fmt.Sprintf("LowerBound[λ=%g,ν=%g]", op.lambda, op.nu)
	}
	return fmt.Sprintf("UpperBound[λ=%g,ν=%g,L=%d]", op.lambda, op.nu, op.exp)
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
			return nil, dtypeError(op, in[1])
		}
		v := G.F64(op.value(x, w, cols, wcols))
		return &v, nil
	case []float32:
		w, ok := in[1].Data().([]float32)
		if !ok {
			return nil, dtypeError(op, in[1])
		}
		v := G.F32(op.value(toF64(x), toF64(w), cols, wcols))
		return &v, nil
	}
	return nil, dtypeError(op, in[0])
}

func toF64[T float](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// rowWeights returns each row's weight and their total.
func rowWeights(w []float64, rows, cols int) ([]float64, float64) {
	rw := make([]float64, rows)
	total := 0.0
	for r := range rw {
		for _, v := range w[r*cols : (r+1)*cols] {
			rw[r] += v
		}
		total += rw[r]
	}
	return rw, total
}

func (op penaltyOp) value(x, w []float64, cols, wcols int) float64 {
	rows := len(x) / cols
	rw, total := rowWeights(w, rows, wcols)
	if total == 0 {
		return 0
	}
	sum := 0.0
	for r := 0; r < rows; r++ {
		if rw[r] != 0 {
			sum += rw[r] * op.row(x[r*cols:(r+1)*cols])
		}
	}
	return sum / total
}

// row is the penalty of one row.
func (op penaltyOp) row(x []float64) float64 {
	M := float64(len(x))
	if op.lower {
		s := 0.0
		for _, v := range x {
			d := math.Max(0, op.nu-v)
			s += d * d
		}
		return op.lambda / M * s
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	return op.lambda * math.Pow(math.Max(0, mean/M-op.nu), float64(op.exp))
}

// rowGrad writes d row(x)/dx into g, scaled by s.
func (op penaltyOp) rowGrad(g, x []float64, s float64) {
	M := float64(len(x))
	if op.lower {
		for i, v := range x {
			g[i] = -2 * s * op.lambda / M * math.Max(0, op.nu-v)
		}
		return
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	d := 0.0
	if excess := mean/M - op.nu; excess > 0 {
		d = s * op.lambda * float64(op.exp) * math.Pow(excess, float64(op.exp-1)) / M
	}
	for i := range g {
		g[i] = d
	}
}

func (op penaltyOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(penaltyGradOp{op}, in[0], in[1], grad)
	return G.Nodes{g, nil}, err
}

// penaltyGradOp computes d penalty/dx from (x, weights, grad).
type penaltyGradOp struct{ p penaltyOp }

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
func (op penaltyGradOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op penaltyGradOp) Hashcode() uint32      { return hashOf(op) }
func (op penaltyGradOp) String() string        { return op.p.String() + "Grad" }
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
	out, err := output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	cols, wcols := in[0].Shape()[1], in[1].Shape()[1]
	switch x := in[0].Data().(type) {
	case []float64:
		op.grad(out.Data().([]float64), x, in[1].Data().([]float64), cols, wcols, g)
	case []float32:
		res := make([]float64, len(x))
		op.grad(res, toF64(x), toF64(in[1].Data().([]float32)), cols, wcols, g)
		o := out.Data().([]float32)
		for i, v := range res {
			o[i] = float32(v)
		}
	default:
		return nil, dtypeError(op, in[0])
	}
	return out, nil
}

func (op penaltyGradOp) grad(out, x, w []float64, cols, wcols int, g float64) {
	rows := len(x) / cols
	rw, total := rowWeights(w, rows, wcols)
	clear(out)
	if total == 0 {
		return
	}
	for r := 0; r < rows; r++ {
		if rw[r] != 0 {
			op.p.rowGrad(out[r*cols:(r+1)*cols], x[r*cols:(r+1)*cols], g*rw[r]/total)
		}
	}
}

// The ops of backward passes are differentiable in none of their inputs
// (see gradientOnly).
func (penaltyGradOp) DiffWRT(n int) []bool                               { return gradientOnly(n) }
func (penaltyGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errSecondOrder }

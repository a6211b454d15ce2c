package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
)

// Reset returns v·(1 − s) element-wise: the membrane potential v of
// neurons that spiked (s = 1) is set to zero. Pass s through Detach to
// treat the reset as a constant in the backward pass; otherwise the gradient
// −v·grad flows into s and on through its surrogate.
func Reset(v, s *G.Node) (*G.Node, error) {
	return G.ApplyOp(resetOp{elems(2, v)}, v, s)
}

type resetOp struct{ elementwise }

func (op resetOp) String() string        { return "Reset" }
func (op resetOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op resetOp) Hashcode() uint32      { return hashOf(op) }
func (op resetOp) DiffWRT(int) []bool    { return []bool{true, true} }
func (op resetOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op resetOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameKind(op, in); err != nil {
		return nil, err
	}
	out, err := output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch v := dataOf(in[0]).(type) {
	case []float64:
		kernel.Reset(dataOf(out).([]float64), v, dataOf(in[1]).([]float64))
	case []float32:
		kernel.Reset(dataOf(out).([]float32), v, dataOf(in[1]).([]float32))
	default:
		return nil, dtypeError(op, in[0])
	}
	return out, nil
}

// SymDiff: d/dv = grad·(1 − s), which is Reset(grad, s) again; d/ds = −grad·v.
func (op resetOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gv, err := Reset(grad, in[1])
	if err != nil {
		return nil, err
	}
	gs, err := G.ApplyOp(negMulOp{elems(2, grad)}, grad, in[0])
	return G.Nodes{gv, gs}, err
}

// negMulOp computes −x·y element-wise.
type negMulOp struct{ elementwise }

func (op negMulOp) String() string        { return "NegMul" }
func (op negMulOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op negMulOp) Hashcode() uint32      { return hashOf(op) }
func (op negMulOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op negMulOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameKind(op, in); err != nil {
		return nil, err
	}
	out, err := output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch x := dataOf(in[0]).(type) {
	case []float64:
		kernel.NegMul(dataOf(out).([]float64), x, dataOf(in[1]).([]float64))
	case []float32:
		kernel.NegMul(dataOf(out).([]float32), x, dataOf(in[1]).([]float32))
	default:
		return nil, dtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see gradientOnly).
func (negMulOp) DiffWRT(n int) []bool                               { return gradientOnly(n) }
func (negMulOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errSecondOrder }

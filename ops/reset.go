package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// Reset returns v·(1 − s) element-wise: the membrane potential v of
// neurons that spiked (s = 1) is set to zero. Pass s through Detach to
// treat the reset as a constant in the backward pass; otherwise the gradient
// −v·grad flows into s and on through its surrogate.
func Reset(v, s *G.Node) (*G.Node, error) {
	return G.ApplyOp(resetOp{opkit.Elems(2, v)}, v, s)
}

type resetOp struct{ opkit.Elementwise }

func (op resetOp) String() string        { return "Reset" }
func (op resetOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op resetOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op resetOp) DiffWRT(int) []bool    { return []bool{true, true} }
func (op resetOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op resetOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch v := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.Reset(opkit.DataOf(out).([]float64), v, opkit.DataOf(in[1]).([]float64))
	case []float32:
		kernel.Reset(opkit.DataOf(out).([]float32), v, opkit.DataOf(in[1]).([]float32))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// SymDiff: d/dv = grad·(1 − s), which is Reset(grad, s) again; d/ds = −grad·v.
func (op resetOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gv, err := Reset(grad, in[1])
	if err != nil {
		return nil, err
	}
	gs, err := G.ApplyOp(negMulOp{opkit.Elems(2, grad)}, grad, in[0])
	return G.Nodes{gv, gs}, err
}

// negMulOp computes −x·y element-wise.
type negMulOp struct{ opkit.Elementwise }

func (op negMulOp) String() string        { return "NegMul" }
func (op negMulOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op negMulOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op negMulOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op negMulOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch x := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.NegMul(opkit.DataOf(out).([]float64), x, opkit.DataOf(in[1]).([]float64))
	case []float32:
		kernel.NegMul(opkit.DataOf(out).([]float32), x, opkit.DataOf(in[1]).([]float32))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (negMulOp) DiffWRT(n int) []bool                               { return opkit.GradientOnly(n) }
func (negMulOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, opkit.ErrSecondOrder }

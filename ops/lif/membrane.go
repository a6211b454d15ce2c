package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// This file holds the membrane update of a LIF time step, one node with
// its reset, and the ops of its backward pass.

// Membrane returns (β·u + i)·(1 − r), the membrane update of a LIF neuron
// with its reset, as one node: u is the membrane potential U[n], i the
// synaptic input already scaled by (1 − β_mem), r the spikes S[n] (or
// ops.Detach(S[n]) for a reset the gradient does not flow through). nil u, i
// or r stand for zero; u and i cannot both be nil. Without r it is the
// leaky integrator β·u + i.
func Membrane(beta float64, u, i, r *G.Node) (*G.Node, error) {
	op := membraneOp{beta: beta, hasU: u != nil, hasI: i != nil, hasR: r != nil}
	if !op.hasU && !op.hasI {
		return nil, fmt.Errorf("lif.Membrane: u and i are both nil")
	}
	op.resetGrad = r != nil && !opkit.IsDetached(r)
	r, _ = opkit.Undetach(r) // read S itself, without gradient
	var in G.Nodes
	for _, n := range []*G.Node{u, i, r} {
		if n != nil {
			in = append(in, n)
		}
	}
	op.Matrix = opkit.Matrices(len(in), in[0])
	return G.ApplyOp(op, in...)
}

type membraneOp struct {
	opkit.Matrix
	beta                        float64
	hasU, hasI, hasR, resetGrad bool
	// reuseR lets the result take the memory of r, a Detach copy that is
	// internal to the graph, when nothing reads it afterwards.
	reuseR bool
	cell   *Cell // set for a Cell's step n
	n      int
	// decays: the Cell's decays are per neuron, β_mem is the last input
	// and the current is unscaled (see NewNeuronCell).
	decays bool
}

func (op membraneOp) String() string {
	s := fmt.Sprintf("Membrane[%g,u=%t,i=%t,r=%t,rg=%t", op.beta, op.hasU, op.hasI, op.hasR, op.resetGrad)
	if op.cell != nil {
		s += fmt.Sprintf(",layer %d,step %d", op.cell.syn.id, op.n)
	}
	if op.decays {
		s += ",decays"
	}
	return s + "]"
}
func (op membraneOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op membraneOp) ReturnsPtr() bool      { return op.reuseR }
func (op membraneOp) OverwritesInput() int {
	if !op.reuseR {
		return -1
	}
	if op.decays {
		return op.Matrix.N - 2 // r is the last input before β_mem
	}
	return op.Matrix.N - 1 // r is the last input
}
func (op membraneOp) Hashcode() uint32 { return opkit.Hash(op) }

func (op membraneOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if op.decays {
		return decayOp{decays: 1}.shape(op, in)
	}
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	for i := range s {
		if !s[i].Eq(s[0]) {
			return nil, fmt.Errorf("%v: input shapes %v and %v differ", op, s[0], s[i])
		}
	}
	return s[0].Clone(), nil
}

// split returns the inputs as (u, i, r), nil where absent.
func (op membraneOp) split(in []G.Value) (u, i, r G.Value) {
	k := 0
	next := func(has bool) G.Value {
		if !has {
			return nil
		}
		k++
		return in[k-1]
	}
	u = next(op.hasU)
	i = next(op.hasI)
	r = next(op.hasR)
	return u, i, r
}

func (op membraneOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op membraneOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	u, i, r := op.split(in)
	if op.decays {
		beta := in[len(in)-1]
		switch out.Dtype() {
		case tensor.Float32:
			v := opkit.Slices32(out, beta, u, i, r)
			kernel.MembraneDecay(op.Workers, v[0], v[1], v[2], v[3], v[4])
		case tensor.Float64:
			v := opkit.Slices64(out, beta, u, i, r)
			kernel.MembraneDecay(op.Workers, v[0], v[1], v[2], v[3], v[4])
		default:
			return nil, opkit.DtypeError(op, in[0])
		}
		return out, nil
	}
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, u, i, r)
		kernel.Membrane(op.Workers, v[0], float32(op.beta), v[1], v[2], v[3])
	case tensor.Float64:
		v := opkit.Slices64(out, u, i, r)
		kernel.Membrane(op.Workers, v[0], op.beta, v[1], v[2], v[3])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func (op membraneOp) DiffWRT(n int) []bool {
	d := make([]bool, 0, n)
	if op.hasU {
		d = append(d, op.cell == nil) // a cell's spike op builds dU[n]
	}
	if op.hasI {
		d = append(d, true)
	}
	if op.hasR {
		d = append(d, op.resetGrad)
	}
	if op.decays {
		d = append(d, false) // the Cell's token carries β_mem's gradient
	}
	return d
}

// SymDiff: du = β·(1 − r)·g, di = (1 − r)·g, dr = −(β·u + i)·g.
func (op membraneOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.decays {
		return op.symDiffDecays(in, grad)
	}
	var u, i, r *G.Node
	k := 0
	if op.hasU {
		u, k = in[k], k+1
	}
	if op.hasI {
		i, k = in[k], k+1
	}
	if op.hasR {
		r = in[k]
	}
	var out G.Nodes
	if u != nil {
		if op.cell != nil {
			// Hand dU[n+1] to the spike op of step n, which builds dU[n].
			op.cell.mem[op.n] = &stepGrad{grad: grad, reset: r}
			out = append(out, nil)
		} else {
			g, err := MaskScale(op.beta, grad, r)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
	}
	if i != nil {
		var g *G.Node
		var err error
		if rec := op.cellSynIn(); rec != nil {
			rec.taken = true
			args := G.Nodes{grad, rec.grad}
			if r != nil {
				args = append(args, op.cell.mask(op.n, r))
			}
			g, err = G.ApplyOp(lifGradIOp{opkit.Matrices(len(args), args[0]), op.cell.betaSyn}, args...)
		} else {
			g, err = MaskScale(1, grad, r)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if r != nil {
		if !op.resetGrad {
			out = append(out, nil)
		} else {
			args := G.Nodes{}
			if u != nil {
				args = append(args, u)
			}
			if i != nil {
				args = append(args, i)
			}
			g, err := G.ApplyOp(resetGradOp{opkit.Matrices(len(args)+1, grad), op.beta, u != nil, i != nil}, append(args, grad)...)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
	}
	return out, nil
}

// cellSynIn returns dĨ[n+1] as the synaptic update of step n handed it
// over, or nil.
func (op membraneOp) cellSynIn() *stepGrad {
	if op.cell == nil {
		return nil
	}
	return op.cell.synIn[op.n]
}

// MaskScale returns a·g·(1 − r) (r nil: a·g; g itself when a is 1 and r is
// nil).
func MaskScale(a float64, g, r *G.Node) (*G.Node, error) {
	if r == nil {
		return scaled(a, g)
	}
	return G.ApplyOp(maskScaleOp{opkit.Matrices(2, g), a}, g, r)
}

// scaled is a·g, g itself when a is 1.
func scaled(a float64, g *G.Node) (*G.Node, error) {
	if a == 1 {
		return g, nil
	}
	return ops.Scale(a, g)
}

type maskScaleOp struct {
	opkit.Matrix
	a float64
}

func (op maskScaleOp) String() string        { return fmt.Sprintf("MaskScale[%g]", op.a) }
func (op maskScaleOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op maskScaleOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op maskScaleOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return membraneOp{}.InferShape(in...)
}
func (op maskScaleOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op maskScaleOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], in[1])
		kernel.MaskScale(op.Workers, v[0], float32(op.a), v[1], v[2])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], in[1])
		kernel.MaskScale(op.Workers, v[0], op.a, v[1], v[2])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// resetGradOp computes −(β·u + i)·g from (u?, i?, g).
type resetGradOp struct {
	opkit.Matrix
	beta       float64
	hasU, hasI bool
}

func (op resetGradOp) String() string {
	return fmt.Sprintf("ResetGrad[%g,u=%t,i=%t]", op.beta, op.hasU, op.hasI)
}
func (op resetGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op resetGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op resetGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return membraneOp{}.InferShape(in...)
}
func (op resetGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op resetGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var u, i G.Value
	k := 0
	if op.hasU {
		u, k = in[k], k+1
	}
	if op.hasI {
		i, k = in[k], k+1
	}
	g := in[k]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, u, i, g)
		kernel.NegMulSum(op.Workers, v[0], float32(op.beta), v[1], v[2], v[3])
	case tensor.Float64:
		v := opkit.Slices64(out, u, i, g)
		kernel.NegMulSum(op.Workers, v[0], op.beta, v[1], v[2], v[3])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (maskScaleOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (maskScaleOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (resetGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (resetGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

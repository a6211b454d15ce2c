package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
	"github.com/spikegrad/spikegrad/surrogate"
)

// This file holds what a Cell with per-neuron decays (NewNeuronCell) adds
// to the LIF's: the ops of its backward pass and the decays' gradients.

// neuronDecays are a Cell's per-neuron decays and what the backward pass
// of each step contributes to their gradients.
type neuronDecays struct {
	mem, syn *G.Node // β_mem, β_syn: [1, units]
	steps    []decayStep
}

// decayStep holds the nodes of kernel.DecayStep: U[n], I[n], R[n],
// dU[n+1], dI[n+1], nil for zero.
type decayStep struct{ u, i, r, du, di *G.Node }

// NewNeuronCell starts a layer whose neurons each have their own decays,
// betaMem and betaSyn ([1, units] nodes, differentiable), with the
// surrogate s, feed-forward weights w and recurrent weights v (nil for
// none). It is built step by step as a Cell, but carries the current
// unscaled,
//
//	U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − R[n])
//	I[n+1] = β_syn·I[n] + x[n]·W + Q[n]·V,
//
// so that Synapse returns I[n+1], and its backward pass is the Cell's with
// the decays per neuron:
//
//	dU[n] = h(U[n] − θ)·dS[n] + β_mem·(1 − R[n])·dU[n+1]
//	dI[n] = (1 − β_mem)·(1 − R[n])·dU[n+1] + β_syn·dI[n+1].
//
// The decays' gradients, Σ over steps and samples of dU[n+1]·(1 −
// R[n])·(U[n] − I[n]) and of dI[n+1]·I[n], are one node that reads every
// step's, built with the weights' fused gradients.
func NewNeuronCell(betaMem, betaSyn *G.Node, s surrogate.Surrogate, w, v *G.Node) (*Cell, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	units := w.Shape()[1]
	for _, b := range []struct {
		name string
		n    *G.Node
	}{{"betaMem", betaMem}, {"betaSyn", betaSyn}} {
		if b.n == nil || !b.n.Shape().Eq(tensor.Shape{1, units}) || b.n.Dtype() != w.Dtype() {
			return nil, fmt.Errorf("lif.NewNeuronCell: %s must be a [1 %d] node of %v, got %v", b.name, units, w.Dtype(), b.n)
		}
	}
	c := &Cell{surrogate: s, syn: NewSynapses(w, v), decays: &neuronDecays{mem: betaMem, syn: betaSyn},
		mem: map[int]*stepGrad{}, synIn: map[int]*stepGrad{}, spikes: map[int]*G.Node{}}
	in := G.Nodes{w}
	if v != nil {
		in = append(in, v)
	}
	in = append(in, betaMem, betaSyn)
	var err error
	if c.token, err = G.ApplyOp(tokenOp{opkit.Matrices(len(in), in[0]), c}, in...); err != nil {
		return nil, err
	}
	return c, nil
}

// grads returns the gradients of β_mem and β_syn from the recorded steps:
// one node for both, and two that copy out their rows.
func (d *neuronDecays) grads(id uint64) (mem, syn *G.Node, err error) {
	op := decayGradsOp{id: id}
	var in G.Nodes
	for _, st := range d.steps {
		var has [5]bool
		for k, x := range []*G.Node{st.u, st.i, st.r, st.du, st.di} {
			if has[k] = x != nil; has[k] {
				in = append(in, x)
			}
		}
		op.has = append(op.has, has)
	}
	if len(in) == 0 {
		return nil, nil, fmt.Errorf("lif: per-neuron decays of layer %d: no step reaches the loss", id)
	}
	op.Matrix = opkit.Matrices(len(in), in[0])
	op.units = d.mem.Shape()[1]
	all, err := G.ApplyOp(op, in...)
	if err != nil {
		return nil, nil, err
	}
	if mem, err = G.ApplyOp(rowsOp{opkit.Matrices(1, all), id, 0, 1}, all); err != nil {
		return nil, nil, err
	}
	syn, err = G.ApplyOp(rowsOp{opkit.Matrices(1, all), id, 1, 1}, all)
	return mem, syn, err
}

// decayGradsOp computes [dβ_mem; dβ_syn], [2, units], from the non-nil
// (U[n], I[n], R[n], dU[n+1], dI[n+1]) of each recorded step in turn.
type decayGradsOp struct {
	opkit.Matrix
	id    uint64 // the layer's
	units int
	has   [][5]bool
}

func (op decayGradsOp) String() string {
	return fmt.Sprintf("DecayGrads#%d[%d,%v]", op.id, op.units, op.has)
}
func (op decayGradsOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op decayGradsOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op decayGradsOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return paramGradsShape(op, in, 2, op.units)
}

// paramGradsShape is [rows, units], the gradients of a layer's per-neuron
// parameters, a row each, from inputs that all have one [·, units] shape.
func paramGradsShape(op G.Op, in []G.DimSizer, rows, units int) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	for _, x := range s {
		if !x.Eq(s[0]) || x[1] != units {
			return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
		}
	}
	return tensor.Shape{rows, units}, nil
}

func (op decayGradsOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op decayGradsOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	out := opkit.NewOutput(p, in[0].Dtype(), 2, op.units)
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		kernel.DecayGrads(op.Workers, o[:op.units], o[op.units:], decaySteps(op.has, in, opkit.Slice32))
	case []float64:
		kernel.DecayGrads(op.Workers, o[:op.units], o[op.units:], decaySteps(op.has, in, opkit.Slice64))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func decaySteps[T kernel.Float](has [][5]bool, in []G.Value, slice func(G.Value) []T) []kernel.DecayStep[T] {
	steps := make([]kernel.DecayStep[T], len(has))
	k := 0
	for n, h := range has {
		var x [5][]T
		for q := range x {
			if h[q] {
				x[q], k = slice(in[k]), k+1
			}
		}
		steps[n] = kernel.DecayStep[T]{U: x[0], I: x[1], R: x[2], DU: x[3], DI: x[4]}
	}
	return steps
}

// decayOp is what the element-wise ops of a per-neuron backward pass
// share: [rows, units] matrix inputs followed by the decays, [1, units]
// each.
type decayOp struct {
	opkit.Matrix
	decays int // how many of the inputs, the last ones, are decays
}

func (op decayOp) shape(name fmt.Stringer, in []G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(name, in)
	if err != nil {
		return nil, err
	}
	m := len(s) - op.decays
	for k, x := range s {
		if (k < m && !x.Eq(s[0])) || (k >= m && (x[0] != 1 || x[1] != s[0][1])) {
			return nil, fmt.Errorf("%v: inconsistent shapes %v", name, in)
		}
	}
	return s[0].Clone(), nil
}

// gradUDecayOp computes h(u − θ)·dS + β_mem·(1 − r)·dU from (u, dS, dU,
// r?, β_mem).
type gradUDecayOp struct {
	decayOp
	s surrogate.Surrogate
}

func (op gradUDecayOp) String() string        { return fmt.Sprintf("LIFGradUDecay[%v,%d]", op.s, op.N) }
func (op gradUDecayOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op gradUDecayOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op gradUDecayOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op gradUDecayOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op gradUDecayOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var r G.Value
	if len(in) == 5 {
		r = in[3]
	}
	beta := in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], in[1], in[2], r, beta)
		kernel.LIFGradUDecay(op.Workers, v[0], op.s, v[1], v[2], v[5], v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], in[1], in[2], r, beta)
		kernel.LIFGradUDecay(op.Workers, v[0], op.s, v[1], v[2], v[5], v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// gradIDecayOp computes (1 − β_mem)·(1 − r)·dU + β_syn·dI from (dU, dI?,
// r?, β_mem, β_syn).
type gradIDecayOp struct {
	decayOp
	hasE, hasR bool
}

func (op gradIDecayOp) String() string {
	return fmt.Sprintf("LIFGradIDecay[e=%t,r=%t]", op.hasE, op.hasR)
}
func (op gradIDecayOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op gradIDecayOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op gradIDecayOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op gradIDecayOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op gradIDecayOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var e, r G.Value
	k := 1
	if op.hasE {
		e, k = in[k], k+1
	}
	if op.hasR {
		r = in[k]
	}
	bm, bs := in[len(in)-2], in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], bm, bs, e, r)
		kernel.LIFGradIDecay(op.Workers, v[0], v[1], v[2], v[3], v[4], v[5])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], bm, bs, e, r)
		kernel.LIFGradIDecay(op.Workers, v[0], v[1], v[2], v[3], v[4], v[5])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// resetGradDecayOp computes −(β_mem·u + (1 − β_mem)·i)·g from (u?, i?, g,
// β_mem).
type resetGradDecayOp struct {
	decayOp
	hasU, hasI bool
}

func (op resetGradDecayOp) String() string {
	return fmt.Sprintf("ResetGradDecay[u=%t,i=%t]", op.hasU, op.hasI)
}
func (op resetGradDecayOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op resetGradDecayOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op resetGradDecayOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op resetGradDecayOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op resetGradDecayOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	g := in[len(in)-2]
	s := g.Shape()
	out := opkit.NewOutput(p, g.Dtype(), s[0], s[1])
	var u, i G.Value
	k := 0
	if op.hasU {
		u, k = in[k], k+1
	}
	if op.hasI {
		i = in[k]
	}
	beta := in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, beta, u, i, g)
		kernel.ResetGradDecay(op.Workers, v[0], v[1], v[2], v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, beta, u, i, g)
		kernel.ResetGradDecay(op.Workers, v[0], v[1], v[2], v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, g)
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (decayGradsOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (decayGradsOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (decayOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (decayOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

// symDiffDecays is membraneOp.SymDiff for a Cell with per-neuron decays:
// it hands dU[n+1] to the spike op as the Cell does, builds dI[n], and
// records the step's part of the decays' gradients.
func (op membraneOp) symDiffDecays(in G.Nodes, grad *G.Node) (G.Nodes, error) {
	c, d := op.cell, op.cell.decays
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
	mask := c.mask(op.n, r)
	var di *G.Node // dI[n+1]
	if rec := c.synIn[op.n]; rec != nil {
		rec.taken, di = true, rec.grad
	}
	d.steps = append(d.steps, decayStep{u: u, i: i, r: mask, du: grad, di: di})
	var out G.Nodes
	if u != nil {
		// Hand dU[n+1] to the spike op of step n, which builds dU[n].
		c.mem[op.n] = &stepGrad{grad: grad, reset: r}
		out = append(out, nil)
	}
	if i != nil {
		args := G.Nodes{grad}
		for _, x := range []*G.Node{di, mask} {
			if x != nil {
				args = append(args, x)
			}
		}
		args = append(args, d.mem, d.syn)
		g, err := G.ApplyOp(gradIDecayOp{decayOp{opkit.Matrices(len(args), grad), 2}, di != nil, mask != nil}, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if r != nil {
		var g *G.Node
		if op.resetGrad {
			var args G.Nodes
			for _, x := range []*G.Node{u, i} {
				if x != nil {
					args = append(args, x)
				}
			}
			args = append(args, grad, d.mem)
			var err error
			if g, err = G.ApplyOp(resetGradDecayOp{decayOp{opkit.Matrices(len(args), grad), 1}, u != nil, i != nil}, args...); err != nil {
				return nil, err
			}
		}
		out = append(out, g)
	}
	return append(out, nil), nil // β_mem's gradient: the token's
}

// gradUProjDecayOp is gradUDecayOp with dS = gain·g_o·W_oᵀ computed row
// by row inside, from (u, s, g_o, W_o, dU, β_mem), as lifGradUProjOp: the
// spikes' gradient when it comes from one synaptic projection alone. For a
// readout trace's projection (bp.rows set) it reads (u, s, g_o, dU,
// β_mem), gain·W_oᵀ following the blocks of g_o (see decayTraceGradOp).
type gradUProjDecayOp struct {
	decayOp
	s  surrogate.Surrogate
	bp backProjOp // the projection: its gain and block of g_o
}

func (op gradUProjDecayOp) String() string {
	wt := ""
	if op.bp.rows > 0 {
		wt = ",W_oᵀ after"
	}
	return fmt.Sprintf("LIFGradUProjDecay[%v,%g,block %d×%d%s]", op.s, op.bp.gain, op.bp.block, op.bp.rows, wt)
}
func (op gradUProjDecayOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op gradUProjDecayOp) Hashcode() uint32      { return opkit.Hash(op) }

// gradUProjDecayParts returns the inputs as (u, s, g_o, W_o, dU, β_mem);
// W_o is the zero V when it follows the blocks of g_o.
func gradUProjDecayParts[V any](op gradUProjDecayOp, in []V) (u, s, g, w, d, b V) {
	if op.bp.rows > 0 {
		return in[0], in[1], in[2], w, in[3], in[4]
	}
	return in[0], in[1], in[2], in[3], in[4], in[5]
}

func (op gradUProjDecayOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	sh, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	u, s, g, w, d, b := gradUProjDecayParts(op, sh)
	gRows := g[0]
	if op.bp.rows > 0 {
		w = tensor.Shape{u[1], g[1]}
		gRows = -1
		if g[0] >= (op.bp.block+1)*op.bp.rows+kernel.ProjStride(u[1]) {
			gRows = op.bp.rows
		}
	}
	if !u.Eq(s) || !u.Eq(d) || gRows != u[0] || w[0] != u[1] || w[1] != g[1] || b[0] != 1 || b[1] != u[1] {
		return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
	}
	return u.Clone(), nil
}
func (op gradUProjDecayOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op gradUProjDecayOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	sh := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), sh[0], sh[1])
	u, s, g, w, d, b := gradUProjDecayParts(op, in)
	cols := g.Shape()[1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, u, s, g, w, d)
		gradUProjDecay(op, v[0], v[1], v[2], v[3], v[4], v[5], opkit.Slice32(b), cols, float32(op.bp.gain))
	case tensor.Float64:
		v := opkit.Slices64(out, u, s, g, w, d)
		gradUProjDecay(op, v[0], v[1], v[2], v[3], v[4], v[5], opkit.Slice64(b), cols, op.bp.gain)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// gradUProjDecay runs the kernel on the op's block of g, from W (w) or
// from the gain·W_oᵀ that follows the blocks of a readout trace's g.
func gradUProjDecay[T float](op gradUProjDecayOp, out, u, s, g, w, d, beta []T, cols int, gain T) {
	if op.bp.rows == 0 {
		kernel.LIFGradUProjDecay(op.Workers, out, op.s, u, s, g, w, d, cols, beta, gain)
		return
	}
	stride := kernel.ProjStride(len(beta))
	wt := g[len(g)-cols*stride:]
	kernel.LIFGradUProjDecayT(op.Workers, out, op.s, u, s, gBlock(op.bp, g, cols), wt, stride, d, cols, beta)
}

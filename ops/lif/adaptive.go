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

// This file holds the adaptive LIF cell (NewAdaptiveCell): its forward
// ops, the ops of its backward pass and its parameters' gradients.

// adaptation is an adaptive Cell's parameters and what its backward pass
// hands between steps and records for the parameters' gradients.
type adaptation struct {
	alpha, rho, a, b *G.Node         // [1, units] each
	w                map[int]*G.Node // w[n], the input of step n's adaptation
	dw               map[int]*G.Node // dw[n], built by the membrane update of step n−1
	steps            []adaptiveStep
}

// adaptiveStep holds the nodes of kernel.AdaptiveStep.
type adaptiveStep struct{ u, r, x, w0, w1, s, du, dw *G.Node }

// NewAdaptiveCell starts a layer of adaptive LIF neurons (Bittar & Garner
// 2022) with per-neuron parameters alpha, rho, a, b ([1, units] nodes,
// differentiable), the surrogate s, feed-forward weights w and recurrent
// weights v (nil for none). Each step is built from Spike, Adapt, Synapse
// (with no current: it returns x[n] = S_in[n]·W + Q[n]·V) and
// AdaptiveMembrane:
//
//	S[n]   = H(U[n] − θ)
//	w[n+1] = ρ·w[n] + a·U[n] + b·S[n]
//	U[n+1] = α·(U[n] − R[n]) + (1 − α)·(x[n] − w[n+1])
//
// The backward pass is fused as the LIF Cell's: the membrane update of
// step n builds dw[n+1] = −(1 − α)·dU[n+1] + ρ·dw[n+2] and hands dU[n+1]
// and dw[n+1] to the spike op of step n, which builds
//
//	dU[n] = h(U[n] − θ)·(dS[n] + b·dw[n+1]) + α·dU[n+1] + a·dw[n+1]
//
// (the gradient flows through b·S[n]; the reset and the recurrent input
// pass it only when they are not detached). The parameters' gradients are
// one node that reads every step's, built with the weights' fused
// gradients.
func NewAdaptiveCell(alpha, rho, a, b *G.Node, s surrogate.Surrogate, w, v *G.Node) (*Cell, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	units := w.Shape()[1]
	for k, p := range []*G.Node{alpha, rho, a, b} {
		if p == nil || !p.Shape().Eq(tensor.Shape{1, units}) || p.Dtype() != w.Dtype() {
			return nil, fmt.Errorf("lif.NewAdaptiveCell: %s must be a [1 %d] node of %v, got %v", [...]string{"alpha", "rho", "a", "b"}[k], units, w.Dtype(), p)
		}
	}
	c := &Cell{surrogate: s, syn: NewSynapses(w, v),
		adapt: &adaptation{alpha: alpha, rho: rho, a: a, b: b, w: map[int]*G.Node{}, dw: map[int]*G.Node{}},
		mem:   map[int]*stepGrad{}, synIn: map[int]*stepGrad{}, spikes: map[int]*G.Node{}}
	in := G.Nodes{w}
	if v != nil {
		in = append(in, v)
	}
	in = append(in, alpha, rho, a, b)
	var err error
	if c.token, err = G.ApplyOp(tokenOp{opkit.Matrices(len(in), in[0]), c}, in...); err != nil {
		return nil, err
	}
	return c, nil
}

// Adapt returns w[n+1] = ρ·w + a·u + b·s of an adaptive cell; nil
// arguments are zero, and the result is nil when all three are.
func (c *Cell) Adapt(n int, w, u, s *G.Node) (*G.Node, error) {
	ad := c.adapt
	if ad == nil {
		return nil, fmt.Errorf("lif.Cell.Adapt: not an adaptive cell")
	}
	if w == nil && u == nil && s == nil {
		return nil, nil
	}
	op := adaptOp{id: c.syn.id, n: n}
	var in G.Nodes
	for k, x := range []*G.Node{w, u, s} {
		if op.has[k] = x != nil; op.has[k] {
			in = append(in, x)
		}
	}
	in = append(in, ad.rho, ad.a, ad.b)
	op.decayOp = decayOp{opkit.Matrices(len(in), in[0]), 3}
	ad.w[n] = w
	return G.ApplyOp(op, in...)
}

// AdaptiveMembrane returns U[n+1] = α·(u − r) + (1 − α)·(x − w) of an
// adaptive cell, with u = U[n], r the reset (S[n] or Detach(S[n])), x the
// input x[n] and w = w[n+1]; nil arguments are zero, and the result is nil
// when all are.
func (c *Cell) AdaptiveMembrane(n int, u, r, x, w *G.Node) (*G.Node, error) {
	if c.adapt == nil {
		return nil, fmt.Errorf("lif.Cell.AdaptiveMembrane: not an adaptive cell")
	}
	if u == nil && r == nil && x == nil && w == nil {
		return nil, nil
	}
	op := adMembraneOp{cell: c, n: n}
	op.resetGrad = r != nil && !opkit.IsDetached(r)
	if s, ok := c.undetach(n, r); ok {
		r = s
	}
	var in G.Nodes
	for k, v := range []*G.Node{u, r, x, w} {
		if op.has[k] = v != nil; op.has[k] {
			in = append(in, v)
		}
	}
	in = append(in, c.adapt.alpha)
	op.decayOp = decayOp{opkit.Matrices(len(in), in[0]), 1}
	return G.ApplyOp(op, in...)
}

// grads returns the gradients of α, ρ, a and b from the recorded steps:
// one node for all, and one that copies out each's row.
func (ad *adaptation) grads(id uint64) ([4]*G.Node, error) {
	var out [4]*G.Node
	op := adaptiveGradsOp{id: id, units: ad.alpha.Shape()[1]}
	var in G.Nodes
	for _, st := range ad.steps {
		var has [8]bool
		for k, x := range []*G.Node{st.u, st.r, st.x, st.w0, st.w1, st.s, st.du, st.dw} {
			if has[k] = x != nil; has[k] {
				in = append(in, x)
			}
		}
		op.has = append(op.has, has)
	}
	if len(in) == 0 {
		return out, fmt.Errorf("lif: adaptive layer %d: no step reaches the loss", id)
	}
	op.Matrix = opkit.Matrices(len(in), in[0])
	all, err := G.ApplyOp(op, in...)
	if err != nil {
		return out, err
	}
	for k := range out {
		if out[k], err = G.ApplyOp(rowsOp{opkit.Matrices(1, all), id, k, 1}, all); err != nil {
			return out, err
		}
	}
	return out, nil
}

// adaptOp computes ρ·w + a·u + b·s from (w?, u?, s?, ρ, a, b). The
// gradient flows around it (see NewAdaptiveCell).
type adaptOp struct {
	decayOp
	id  uint64 // the layer's
	n   int
	has [3]bool
}

func (op adaptOp) String() string {
	return fmt.Sprintf("Adapt#%d[step %d,%v]", op.id, op.n, op.has)
}
func (op adaptOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adaptOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op adaptOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op adaptOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adaptOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var x [3]G.Value
	k := 0
	for q := range x {
		if op.has[q] {
			x[q], k = in[k], k+1
		}
	}
	rho, a, b := in[k], in[k+1], in[k+2]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, x[0], x[1], x[2])
		kernel.Adapt(op.Workers, v[0], opkit.Slice32(rho), opkit.Slice32(a), opkit.Slice32(b), v[1], v[2], v[3])
	case tensor.Float64:
		v := opkit.Slices64(out, x[0], x[1], x[2])
		kernel.Adapt(op.Workers, v[0], opkit.Slice64(rho), opkit.Slice64(a), opkit.Slice64(b), v[1], v[2], v[3])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// adMembraneOp computes α·(u − r) + (1 − α)·(x − w) from (u?, r?, x?, w?,
// α).
type adMembraneOp struct {
	decayOp
	cell      *Cell
	n         int
	has       [4]bool
	resetGrad bool
}

func (op adMembraneOp) String() string {
	return fmt.Sprintf("AdaptiveMembrane#%d[step %d,%v,rg=%t]", op.cell.syn.id, op.n, op.has, op.resetGrad)
}
func (op adMembraneOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adMembraneOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op adMembraneOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}

// split returns the inputs as (u, r, x, w), nil where absent.
func (op adMembraneOp) split(in []G.Value) (x [4]G.Value) {
	k := 0
	for q := range x {
		if op.has[q] {
			x[q], k = in[k], k+1
		}
	}
	return x
}

func (op adMembraneOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adMembraneOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	x, alpha := op.split(in), in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, x[0], x[1], x[2], x[3])
		kernel.AdaptiveMembrane(op.Workers, v[0], opkit.Slice32(alpha), v[1], v[2], v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, x[0], x[1], x[2], x[3])
		kernel.AdaptiveMembrane(op.Workers, v[0], opkit.Slice64(alpha), v[1], v[2], v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func (op adMembraneOp) DiffWRT(int) []bool {
	var d []bool
	for q, diff := range []bool{false, op.resetGrad, true, false} { // u and w: handed over
		if op.has[q] {
			d = append(d, diff)
		}
	}
	return append(d, false) // α: the token's
}

// SymDiff builds dw[n+1], hands dU[n+1] and it to the spike op of step n,
// records the step for the parameters' gradients and returns the
// gradients of the reset and the input.
func (op adMembraneOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	c, ad := op.cell, op.cell.adapt
	var x [4]*G.Node
	k := 0
	for q := range x {
		if op.has[q] {
			x[q], k = in[k], k+1
		}
	}
	u, r, xin, w := x[0], x[1], x[2], x[3]
	var dw *G.Node
	if w != nil {
		args := G.Nodes{grad}
		e := ad.dw[op.n+2]
		if e != nil {
			args = append(args, e)
		}
		args = append(args, ad.alpha, ad.rho)
		var err error
		if dw, err = G.ApplyOp(adWGradOp{decayOp{opkit.Matrices(len(args), grad), 2}, c.syn.id, op.n, e != nil}, args...); err != nil {
			return nil, err
		}
		ad.dw[op.n+1] = dw
	}
	if u != nil {
		c.mem[op.n] = &stepGrad{grad: grad, reset: r}
	}
	ad.steps = append(ad.steps, adaptiveStep{u: u, r: c.mask(op.n, r), x: xin, w0: ad.w[op.n], w1: w, s: c.spikes[op.n], du: grad, dw: dw})
	var out G.Nodes
	if u != nil {
		out = append(out, nil)
	}
	if r != nil {
		var g *G.Node
		if op.resetGrad {
			var err error
			if g, err = G.ApplyOp(colScaleOp{decayOp{opkit.Matrices(2, grad), 1}, false}, grad, ad.alpha); err != nil {
				return nil, err
			}
		}
		out = append(out, g)
	}
	if xin != nil {
		g, err := G.ApplyOp(colScaleOp{decayOp{opkit.Matrices(2, grad), 1}, true}, grad, ad.alpha)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if w != nil {
		out = append(out, nil)
	}
	return append(out, nil), nil
}

// adWGradOp computes −(1 − α)·g + ρ·e from (g, e?, α, ρ).
type adWGradOp struct {
	decayOp
	id   uint64
	n    int
	hasE bool
}

func (op adWGradOp) String() string {
	return fmt.Sprintf("AdaptationGrad#%d[step %d,e=%t]", op.id, op.n, op.hasE)
}
func (op adWGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adWGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op adWGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op adWGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adWGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var e G.Value
	if op.hasE {
		e = in[1]
	}
	alpha, rho := in[len(in)-2], in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, alpha, rho, in[0], e)
		kernel.AdaptationGrad(op.Workers, v[0], v[1], v[2], v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, alpha, rho, in[0], e)
		kernel.AdaptationGrad(op.Workers, v[0], v[1], v[2], v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// colScaleOp computes (1 − p)·g (complement) or −p·g from (g, p).
type colScaleOp struct {
	decayOp
	complement bool
}

func (op colScaleOp) String() string        { return fmt.Sprintf("ColumnScale[complement=%t]", op.complement) }
func (op colScaleOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op colScaleOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op colScaleOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op colScaleOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op colScaleOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[1], in[0])
		kernel.ScaleColumns(op.Workers, v[0], v[1], v[2], op.complement)
	case tensor.Float64:
		v := opkit.Slices64(out, in[1], in[0])
		kernel.ScaleColumns(op.Workers, v[0], v[1], v[2], op.complement)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// adGradUOp computes h(u − θ)·(dS + b·e) + α·dU + a·e from (u, dS, dU,
// e?, α, a, b).
type adGradUOp struct {
	decayOp
	s    surrogate.Surrogate
	hasE bool
}

func (op adGradUOp) String() string {
	return fmt.Sprintf("AdaptiveGradU[%v,e=%t]", op.s, op.hasE)
}
func (op adGradUOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adGradUOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op adGradUOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return op.shape(op, in)
}
func (op adGradUOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adGradUOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var e G.Value
	if op.hasE {
		e = in[3]
	}
	alpha, a, b := in[len(in)-3], in[len(in)-2], in[len(in)-1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], in[1], in[2], e)
		kernel.AdaptiveGradU(op.Workers, v[0], op.s, v[1], v[2], opkit.Slice32(alpha), opkit.Slice32(a), opkit.Slice32(b), v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], in[1], in[2], e)
		kernel.AdaptiveGradU(op.Workers, v[0], op.s, v[1], v[2], opkit.Slice64(alpha), opkit.Slice64(a), opkit.Slice64(b), v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// adaptiveGradsOp computes [dα; dρ; da; db], [4, units], from the non-nil
// inputs of each recorded step in turn (kernel.AdaptiveStep's order).
type adaptiveGradsOp struct {
	opkit.Matrix
	id    uint64
	units int
	has   [][8]bool
}

func (op adaptiveGradsOp) String() string {
	return fmt.Sprintf("AdaptiveGrads#%d[%d,%v]", op.id, op.units, op.has)
}
func (op adaptiveGradsOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adaptiveGradsOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op adaptiveGradsOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return paramGradsShape(op, in, 4, op.units)
}
func (op adaptiveGradsOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adaptiveGradsOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	out := opkit.NewOutput(p, in[0].Dtype(), 4, op.units)
	u := op.units
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		kernel.AdaptiveGrads(op.Workers, o[:u], o[u:2*u], o[2*u:3*u], o[3*u:], adaptiveSteps(op.has, in, opkit.Slice32))
	case []float64:
		kernel.AdaptiveGrads(op.Workers, o[:u], o[u:2*u], o[2*u:3*u], o[3*u:], adaptiveSteps(op.has, in, opkit.Slice64))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func adaptiveSteps[T kernel.Float](has [][8]bool, in []G.Value, slice func(G.Value) []T) []kernel.AdaptiveStep[T] {
	steps := make([]kernel.AdaptiveStep[T], len(has))
	k := 0
	for n, h := range has {
		var x [8][]T
		for q := range x {
			if h[q] {
				x[q], k = slice(in[k]), k+1
			}
		}
		steps[n] = kernel.AdaptiveStep[T]{U: x[0], R: x[1], X: x[2], W0: x[3], W1: x[4], S: x[5], DU: x[6], DW: x[7]}
	}
	return steps
}

func (adaptiveGradsOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (adaptiveGradsOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

// adGradUProjOp is adGradUOp with dS = gain·g_o·W_oᵀ computed row by row
// inside, from (u, g_o, W_o, dU, e?, α, a, b), as lifGradUProjOp; for a
// readout trace's projection (bp.rows set), from (u, g_o, dU, e?, α, a,
// b), gain·W_oᵀ following the blocks of g_o (see traceGradOp).
type adGradUProjOp struct {
	decayOp
	s    surrogate.Surrogate
	hasE bool
	bp   backProjOp // the projection: its gain and block of g_o
}

func (op adGradUProjOp) String() string {
	wt := ""
	if op.bp.rows > 0 {
		wt = ",W_oᵀ after"
	}
	return fmt.Sprintf("AdaptiveGradUProj[%v,e=%t,%g,block %d×%d%s]", op.s, op.hasE, op.bp.gain, op.bp.block, op.bp.rows, wt)
}
func (op adGradUProjOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op adGradUProjOp) Hashcode() uint32      { return opkit.Hash(op) }

// adGradUProjParts returns the inputs as (u, g_o, W_o, dU, e) and (α, a,
// b); W_o and e are the zero V where absent.
func adGradUProjParts[V any](op adGradUProjOp, in []V) (x [5]V, params []V) {
	k := 0
	for q, has := range [5]bool{true, true, op.bp.rows == 0, true, op.hasE} {
		if has {
			x[q], k = in[k], k+1
		}
	}
	return x, in[k:]
}

func (op adGradUProjOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	sh, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	x, params := adGradUProjParts(op, sh)
	u, g, w, d := x[0], x[1], x[2], x[3]
	gRows := g[0]
	if op.bp.rows > 0 {
		w = tensor.Shape{u[1], g[1]}
		gRows = -1
		if g[0] >= (op.bp.block+1)*op.bp.rows+kernel.ProjStride(u[1]) {
			gRows = op.bp.rows
		}
	}
	if !u.Eq(d) || (op.hasE && !u.Eq(x[4])) || gRows != u[0] || w[0] != u[1] || w[1] != g[1] {
		return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
	}
	for _, p := range params {
		if p[0] != 1 || p[1] != u[1] {
			return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
		}
	}
	return u.Clone(), nil
}
func (op adGradUProjOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op adGradUProjOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	sh := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), sh[0], sh[1])
	x, prm := adGradUProjParts(op, in)
	cols := x[1].Shape()[1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, x[0], x[1], x[2], x[3], x[4])
		adGradUProj(op, v[0], v[1], v[2], v[3], v[4], v[5], cols, float32(op.bp.gain),
			opkit.Slice32(prm[0]), opkit.Slice32(prm[1]), opkit.Slice32(prm[2]))
	case tensor.Float64:
		v := opkit.Slices64(out, x[0], x[1], x[2], x[3], x[4])
		adGradUProj(op, v[0], v[1], v[2], v[3], v[4], v[5], cols, op.bp.gain,
			opkit.Slice64(prm[0]), opkit.Slice64(prm[1]), opkit.Slice64(prm[2]))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// adGradUProj runs the kernel on the op's block of g, from W (w) or from
// the gain·W_oᵀ that follows the blocks of a readout trace's g.
func adGradUProj[T float](op adGradUProjOp, out, u, g, w, d, e []T, cols int, gain T, alpha, a, b []T) {
	if op.bp.rows == 0 {
		kernel.AdaptiveGradUProj(op.Workers, out, op.s, u, g, w, cols, gain, alpha, a, b, d, e)
		return
	}
	stride := kernel.ProjStride(len(alpha))
	wt := g[len(g)-cols*stride:]
	kernel.AdaptiveGradUProjT(op.Workers, out, op.s, u, gBlock(op.bp, g, cols), wt, stride, cols, alpha, a, b, d, e)
}

package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Cell builds the time steps of one LIF layer,
//
//	S[n]   = Spike(U[n])
//	U[n+1] = (β_mem·U[n] + Ĩ[n])·(1 − R[n])          R[n] = S[n] or Detach(S[n])
//	Ĩ[n+1] = β_syn·Ĩ[n] + (1 − β_mem)·(x[n]·W + Q[n]·V)   Q[n] = S[n] or Detach(S[n])
//
// (Ĩ is the synaptic current scaled by 1 − β_mem), with a fused backward
// pass: per step, one node computes
//
//	dU[n] = h(U[n] − θ)·dS[n] + β_mem·(1 − R[n])·dU[n+1]
//
// and one
//
//	dĨ[n] = (1 − R[n])·dU[n+1] + β_syn·dĨ[n+1],
//
// where Gorgonia alone would build a surrogate node, two masked scalings,
// a scaling and two sums. Gorgonia differentiates one node at a time, so
// the nodes of a step pass their incoming gradients to each other: the
// membrane update hands dU[n+1] to the spike op, which builds dU[n]; the
// synaptic update hands dĨ[n+1] to the membrane update (which it reads,
// for the order, without using its value), which builds dĨ[n]. The
// membrane update is therefore not differentiable with respect to U[n],
// nor the synaptic update with respect to Ĩ[n], as far as Gorgonia knows.
//
// This needs the spikes that reach the loss to be a prefix in time: if
// U[n+1] reaches the loss, S[n] must too (a spike op that is not
// differentiated cannot build its step's gradient). That holds for a network
// whose loss reads the readout (and the spike counts); G.Grad fails with an
// error naming the step when it does not.
type Cell struct {
	betaMem, betaSyn float64
	surrogate        surrogate.Surrogate
	syn              *Synapses

	// token is a [1, 1] node computed from the weights that every synaptic
	// update reads, as its only differentiable link to them: through it
	// Gorgonia sees each step depend on the weights, and its own
	// derivative, taken after every step's, is the weights' fused gradient.
	token    *G.Node
	zeroGrad *G.Node // the token's gradient from each step: zero

	mem    map[int]*stepGrad // dU[n+1] handed from the membrane update of step n
	synIn  map[int]*stepGrad // dĨ[n+1] handed from the synaptic update of step n
	spikes map[int]*G.Node   // S[n]: the reset mask of the fused gradients

	decays *neuronDecays // per-neuron decays (NewNeuronCell); nil: betaMem, betaSyn
	adapt  *adaptation   // an adaptive LIF's parameters (NewAdaptiveCell)
}

type stepGrad struct {
	grad, reset *G.Node
	taken       bool
}

// NewCell starts a layer with the given decays and surrogate, feed-forward
// weights w and recurrent weights v (nil for none).
func NewCell(betaMem, betaSyn float64, s surrogate.Surrogate, w, v *G.Node) (*Cell, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c := &Cell{betaMem: betaMem, betaSyn: betaSyn, surrogate: s, syn: NewSynapses(w, v),
		mem: map[int]*stepGrad{}, synIn: map[int]*stepGrad{}, spikes: map[int]*G.Node{}}
	in := G.Nodes{w}
	if v != nil {
		in = append(in, v)
	}
	var err error
	if c.token, err = G.ApplyOp(tokenOp{opkit.Matrices(len(in), in[0]), c}, in...); err != nil {
		return nil, err
	}
	return c, nil
}

// zero returns the zero [1, 1] node each step hands back to the token.
func (c *Cell) zero() (*G.Node, error) {
	if c.zeroGrad == nil {
		z := tensor.New(tensor.WithShape(1, 1), tensor.Of(c.token.Dtype()))
		c.zeroGrad = G.NewConstant(z, G.In(c.token.Graph()), G.WithName("lif_token_zero"))
	}
	return c.zeroGrad, nil
}

// tokenOp is the Cell's token: a [1, 1] zero computed from (W, V?).
type tokenOp struct {
	opkit.Matrix
	cell *Cell
}

func (op tokenOp) String() string {
	if op.cell.decays != nil {
		return fmt.Sprintf("LIFToken#%d[%d,decays]", op.cell.syn.id, op.N)
	}
	if op.cell.adapt != nil {
		return fmt.Sprintf("LIFToken#%d[%d,adaptive]", op.cell.syn.id, op.N)
	}
	return fmt.Sprintf("LIFToken#%d[%d]", op.cell.syn.id, op.N)
}
func (op tokenOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op tokenOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op tokenOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if _, err := opkit.Shapes(op, in); err != nil {
		return nil, err
	}
	return tensor.Shape{1, 1}, nil
}
func (op tokenOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op tokenOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	out := opkit.NewOutput(p, in[0].Dtype(), 1, 1)
	switch d := opkit.DataOf(out).(type) {
	case []float32:
		clear(d)
	case []float64:
		clear(d)
	}
	return out, nil
}
func (op tokenOp) DiffWRT(n int) []bool { return opkit.AllInputs(n) }

// SymDiff runs after every step of the layer has been differentiated: it
// checks that each handed-over gradient was taken and returns the fused
// gradients of W and V (and of the per-neuron decays, which follow them).
func (op tokenOp) SymDiff(in G.Nodes, _, _ *G.Node) (G.Nodes, error) {
	if err := op.cell.check(); err != nil {
		return nil, err
	}
	out := make(G.Nodes, len(in))
	if d := op.cell.decays; d != nil {
		var err error
		in = in[:len(in)-2]
		if out[len(in)], out[len(in)+1], err = d.grads(op.cell.syn.id); err != nil {
			return nil, err
		}
	}
	if ad := op.cell.adapt; ad != nil {
		in = in[:len(in)-4]
		g, err := ad.grads(op.cell.syn.id)
		if err != nil {
			return nil, err
		}
		copy(out[len(in):], g[:])
	}
	if len(in) == 2 {
		// W's and V's gradients as one node that reads each step's
		// gradient once (nil if a matrix has no term: built below).
		var err error
		if out[0], out[1], err = op.cell.syn.weightGrads(op.cell.gain()); err != nil {
			return nil, err
		}
	}
	for k, w := range in {
		if out[k] != nil {
			continue
		}
		g, err := op.cell.syn.weightGrad(op.cell.gain(), k == 1)
		if err != nil {
			return nil, err
		}
		if g == nil { // no step reads w where it matters
			z := tensor.New(tensor.WithShape(w.Shape().Clone()...), tensor.Of(w.Dtype()))
			g = G.NewConstant(z, G.In(w.Graph()), G.WithName(fmt.Sprintf("zero_%v", w.Shape())))
		}
		out[k] = g
	}
	return out, nil
}

// gain is the factor of the input projections, 1 − β_mem (1 for a
// current carried unscaled, with per-neuron decays).
func (c *Cell) gain() float64 {
	if c.decays != nil || c.adapt != nil {
		return 1
	}
	return 1 - c.betaMem
}

// Spike returns S[n] = H(U[n] − θ), with the surrogate gradient, as
// ops.Spike.
func (c *Cell) Spike(n int, u *G.Node) (*G.Node, error) {
	s, err := G.ApplyOp(spikeOp{opkit.Elems(1, u), c.surrogate, c, n, &index.Spikes{}}, u)
	if err == nil {
		c.spikes[n] = s
	}
	return s, err
}

// mask returns the reset mask of step n for the fused gradients: S[n],
// which holds the same values as Detach(S[n]) and, unlike it, lives on
// anyway (so the membrane update may reuse the Detach copy's memory).
func (c *Cell) mask(n int, r *G.Node) *G.Node {
	if s := c.spikes[n]; s != nil && r != nil {
		return s
	}
	return r
}

// Membrane returns U[n+1]; nil arguments are zero, and the result is nil
// when u and i both are.
func (c *Cell) Membrane(n int, u, i, r *G.Node) (*G.Node, error) {
	if u == nil && i == nil {
		return nil, nil
	}
	op := membraneOp{beta: c.betaMem, hasU: u != nil, hasI: i != nil, hasR: r != nil, cell: c, n: n, decays: c.decays != nil}
	op.resetGrad = r != nil && !opkit.IsDetached(r)
	if s, ok := c.undetach(n, r); ok {
		r = s
	} else {
		// The fused gradients read S[n], not the Detach copy: it can be reused.
		op.reuseR = r != nil && opkit.IsDetached(r)
	}
	var in G.Nodes
	for _, x := range []*G.Node{u, i, r} {
		if x != nil {
			in = append(in, x)
		}
	}
	if op.decays {
		in = append(in, c.decays.mem)
	}
	op.Matrix = opkit.Matrices(len(in), in[0])
	return G.ApplyOp(op, in...)
}

// Synapse returns Ĩ[n+1] from Ĩ[n] = i, the input x[n] and the recurrent
// input q (nil arguments are zero); next is U[n+1], which it reads only to be
// differentiated before the membrane update (nil if U[n+1] is).
func (c *Cell) Synapse(n int, i, x, q, next *G.Node) (*G.Node, error) {
	if i != nil && next == nil {
		return nil, fmt.Errorf("lif.Cell: step %d has a current but no membrane update", n)
	}
	if i == nil {
		next = nil
	}
	q, stop := c.undetach(n, q)
	return c.syn.step(c.betaSyn, i, c.gain(), x, q, stop, c, n, next)
}

// undetach returns S[n] and true for r = Detach(S[n]): the step's ops read
// the spikes themselves and pass no gradient to them, so that the Detach
// copy is left unread and a program compiled for the outputs it needs
// (G.CompileFunction) neither runs nor compiles it (one node per step less
// for Gorgonia's compiler, whose time grows with nodes × edges). Any
// other r is returned as it is, with false.
func (c *Cell) undetach(n int, r *G.Node) (*G.Node, bool) {
	s := c.spikes[n]
	if r == nil || s == nil || !opkit.IsDetached(r) || !r.Graph().HasEdgeFromTo(r.ID(), s.ID()) {
		return r, false
	}
	return s, true
}

// check reports a step whose handed-over gradient nobody took: the loss
// reads a later spike but not this step's (see Cell).
func (c *Cell) check() error {
	for n, g := range c.mem {
		if !g.taken {
			return fmt.Errorf("lif.Cell: U[%d] reaches the loss but S[%d] does not; the fused backward pass needs the spikes that reach the loss to be a prefix in time", n+1, n)
		}
	}
	for n, g := range c.synIn {
		if !g.taken {
			return fmt.Errorf("lif.Cell: the current of step %d reaches the loss but U[%d] does not; the fused backward pass needs the spikes that reach the loss to be a prefix in time", n+1, n+1)
		}
	}
	return nil
}

// lifGradUOp computes h(u − θ)·dS + β·(1 − r)·dU from (u, dS, dU, r?).
type lifGradUOp struct {
	opkit.Matrix
	s    surrogate.Surrogate
	beta float64
}

func (op lifGradUOp) String() string        { return fmt.Sprintf("LIFGradU[%v,%g,%d]", op.s, op.beta, op.N) }
func (op lifGradUOp) ReturnsPtr() bool      { return true }
func (op lifGradUOp) OverwritesInput() int  { return 2 } // dU[n+1], when nothing else needs it
func (op lifGradUOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op lifGradUOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op lifGradUOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return membraneOp{}.InferShape(in...)
}
func (op lifGradUOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op lifGradUOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var r G.Value
	if len(in) == 4 {
		r = in[3]
	}
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], in[1], in[2], r)
		kernel.LIFGradU(op.Workers, v[0], op.s, v[1], v[2], float32(op.beta), v[3], v[4])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], in[1], in[2], r)
		kernel.LIFGradU(op.Workers, v[0], op.s, v[1], v[2], op.beta, v[3], v[4])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// lifGradIOp computes (1 − r)·dU + β·dĨ from (dU, dĨ, r?).
type lifGradIOp struct {
	opkit.Matrix
	beta float64
}

func (op lifGradIOp) String() string        { return fmt.Sprintf("LIFGradI[%g,%d]", op.beta, op.N) }
func (op lifGradIOp) ReturnsPtr() bool      { return true }
func (op lifGradIOp) OverwritesInput() int  { return 0 } // dU[n+1], when nothing else needs it
func (op lifGradIOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op lifGradIOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op lifGradIOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return membraneOp{}.InferShape(in...)
}
func (op lifGradIOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op lifGradIOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	var r G.Value
	if len(in) == 3 {
		r = in[2]
	}
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, in[0], in[1], r)
		kernel.LIFGradI(op.Workers, v[0], v[1], float32(op.beta), v[2], v[3])
	case tensor.Float64:
		v := opkit.Slices64(out, in[0], in[1], r)
		kernel.LIFGradI(op.Workers, v[0], v[1], op.beta, v[2], v[3])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// lifGradUProjOp is lifGradUOp with dS = gain·g_o·W_oᵀ computed row by row
// inside, from (u, s, g_o, W_o, dU): the spikes' gradient when it comes
// from one synaptic projection alone (the readout's), never stored. For a
// readout trace's projection (bp.rows set) it reads (u, s, g_o, dU): g_o
// is the trace's current gradients, a block per step followed by gain·W_oᵀ
// (see traceGradOp), one input less per step for Gorgonia's compiler.
type lifGradUProjOp struct {
	opkit.Matrix
	s          surrogate.Surrogate
	beta, gain float64
	bp         backProjOp // the projection: its block of g_o
}

func (op lifGradUProjOp) String() string {
	if op.bp.rows > 0 {
		return fmt.Sprintf("LIFGradUProj[%v,%g,%g,block %d,W_oᵀ after]", op.s, op.beta, op.gain, op.bp.block)
	}
	return fmt.Sprintf("LIFGradUProj[%v,%g,%g]", op.s, op.beta, op.gain)
}
func (op lifGradUProjOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op lifGradUProjOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op lifGradUProjOp) ReturnsPtr() bool      { return true }
func (op lifGradUProjOp) OverwritesInput() int  { return op.N - 1 } // dU[n+1], when nothing else needs it

// parts returns the inputs as (u, s, g, W, dU); W is nil when it follows
// the blocks of g.
func lifGradUProjParts[V any](op lifGradUProjOp, in []V) (u, s, g, w, d V) {
	if op.bp.rows > 0 {
		return in[0], in[1], in[2], w, in[3]
	}
	return in[0], in[1], in[2], in[3], in[4]
}

func (op lifGradUProjOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	sh, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	u, s, g, w, d := lifGradUProjParts(op, sh)
	gRows := g[0]
	if op.bp.rows > 0 {
		w = tensor.Shape{u[1], g[1]}
		if gRows >= (op.bp.block+1)*op.bp.rows+kernel.ProjStride(u[1]) {
			gRows = op.bp.rows
		}
	}
	if !u.Eq(s) || !u.Eq(d) || gRows != u[0] || w[0] != u[1] || w[1] != g[1] {
		return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
	}
	return u.Clone(), nil
}
func (op lifGradUProjOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op lifGradUProjOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	sh := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), sh[0], sh[1])
	u, s, g, w, d := lifGradUProjParts(op, in)
	cols := g.Shape()[1]
	switch out.Dtype() {
	case tensor.Float32:
		v := opkit.Slices32(out, u, s, g, w, d)
		lifGradUProj(op, v[0], v[1], v[2], v[3], v[4], v[5], cols, float32(op.beta), float32(op.gain))
	case tensor.Float64:
		v := opkit.Slices64(out, u, s, g, w, d)
		lifGradUProj(op, v[0], v[1], v[2], v[3], v[4], v[5], cols, op.beta, op.gain)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// lifGradUProj runs the kernel on the op's block of g, from W (w) or
// from the gain·W_oᵀ that follows the blocks of a readout trace's g.
func lifGradUProj[T float](op lifGradUProjOp, out, u, s, g, w, d []T, cols int, beta, gain T) {
	if op.bp.rows == 0 {
		kernel.LIFGradUProj(op.Workers, out, op.s, u, s, g, w, d, cols, beta, gain)
		return
	}
	stride := kernel.ProjStride(len(d) / op.bp.rows)
	wt := g[len(g)-cols*stride:]
	kernel.LIFGradUProjT(op.Workers, out, op.s, u, s, gBlock(op.bp, g, cols), wt, stride, d, cols, beta)
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (lifGradUOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (lifGradUOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (lifGradIOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (lifGradIOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (lifGradUProjOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (lifGradUProjOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

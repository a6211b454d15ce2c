package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// ReadoutMaxDecays is ReadoutMax for a readout whose neurons each have
// their own decays, betaSyn and betaOut ([1, outputs] nodes,
// differentiable), with the current carried unscaled:
//
//	U_o[n+1] = β_out·U_o[n] + (1 − β_out)·I_o[n]
//	I_o[n+1] = β_syn·I_o[n] + x[n]·W
//	logits   = max_n U_o[n]
//
// The trace holds every step's current as well as its potential, which
// the decays' gradients read; the backward pass computes them with the
// currents' gradients in one node. Each input receives dI_o[n+1]·Wᵀ (one
// block of that node, as from ReadoutMax).
func ReadoutMaxDecays(betaSyn, betaOut *G.Node, in []*G.Node, w *G.Node) (*G.Node, error) {
	outputs := w.Shape()[1]
	for _, b := range []struct {
		name string
		n    *G.Node
	}{{"betaSyn", betaSyn}, {"betaOut", betaOut}} {
		if b.n == nil || !b.n.Shape().Eq(tensor.Shape{1, outputs}) || b.n.Dtype() != w.Dtype() {
			return nil, fmt.Errorf("lif.ReadoutMaxDecays: %s must be a [1 %d] node of %v, got %v", b.name, outputs, w.Dtype(), b.n)
		}
	}
	T := len(in)
	op := decayTraceOp{steps: T, s: NewSynapses(w, nil), has: make([]bool, T), first: -1}
	var args G.Nodes
	for n, x := range in {
		if x == nil || n == T-1 { // x[T−1] would only feed I_o[T], never read
			continue
		}
		if op.first < 0 {
			op.first = n
		}
		op.has[n] = true
		op.diff = append(op.diff, !opkit.IsDetached(x))
		op.spikes = append(op.spikes, opkit.SpikeIndexOf(x))
		args = append(args, x)
	}
	if op.first < 0 || op.first > T-2 {
		return nil, fmt.Errorf("lif.ReadoutMaxDecays: no readout potential can be non-zero within %d steps", T)
	}
	op.rows = args[0].Shape()[0]
	args = append(args, w, betaSyn, betaOut)
	op.Matrix = opkit.Matrices(len(args), w)
	trace, err := G.ApplyOp(op, args...)
	if err != nil {
		return nil, err
	}
	return G.ApplyOp(traceMaxOp{opkit.Matrices(1, trace), op.traceInfo()}, trace)
}

// decayTraceOp computes the potentials and currents of every step from
// (x_first, …, W, β_syn, β_out) as a [2T·rows, outputs] matrix: block n
// is U_o[n], block T + n the current I_o[n+1] that step n's synaptic
// update writes (zero where nil).
type decayTraceOp struct {
	opkit.Matrix
	steps, rows int
	first       int    // the first non-nil input
	has         []bool // in[n] is not nil
	diff        []bool // per non-nil input: not detached
	s           *Synapses
	spikes      []*index.Spikes
}

func (op decayTraceOp) traceInfo() traceInfo {
	return traceInfo{op.s.id, op.steps, op.rows, op.first + 1, 2 * op.steps}
}

func (op decayTraceOp) String() string {
	return fmt.Sprintf("ReadoutTraceDecays%v[%v,%v]", op.traceInfo(), op.has, op.diff)
}
func (op decayTraceOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op decayTraceOp) Hashcode() uint32      { return opkit.Hash(op) }

func (op decayTraceOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	w := s[len(s)-3]
	for _, x := range s[:len(s)-3] {
		if x[0] != op.rows || x[1] != w[0] {
			return nil, fmt.Errorf("%v: input %v does not fit weights %v and %d rows", op, x, w, op.rows)
		}
	}
	for _, b := range s[len(s)-2:] {
		if b[0] != 1 || b[1] != w[1] {
			return nil, fmt.Errorf("%v: decays %v do not fit weights %v", op, b, w)
		}
	}
	return tensor.Shape{2 * op.steps * op.rows, w[1]}, nil
}

func (op decayTraceOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op decayTraceOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	w := in[len(in)-3]
	for _, v := range in[len(in)-3:] {
		if _, ok := v.(*Events); ok {
			return nil, fmt.Errorf("%v: Events can only be the inputs x", op)
		}
	}
	cols := w.Shape()[1]
	out := opkit.NewOutput(p, w.Dtype(), 2*op.steps*op.rows, cols)
	switch out.Dtype() {
	case tensor.Float32:
		runDecayTrace(op, opkit.DataOf(out).([]float32), in, events32, opkit.Slice32)
	case tensor.Float64:
		runDecayTrace(op, opkit.DataOf(out).([]float64), in, events64, opkit.Slice64)
	default:
		return nil, opkit.DtypeError(op, w)
	}
	return out, nil
}

func runDecayTrace[T kernel.Float](op decayTraceOp, out []T, in []G.Value, events func(any) *kernel.CSR[T], slice func(G.Value) []T) {
	size := len(out) / (2 * op.steps)
	w, bs, bo := slice(in[len(in)-3]), slice(in[len(in)-2]), slice(in[len(in)-1])
	var cur, pot []T
	k := 0
	for n := 0; n < op.steps; n++ {
		if pot != nil || cur != nil {
			next := block(out, n, size)
			kernel.MembraneDecay(op.Workers, next, bo, pot, cur, nil)
			pot = next
		} else {
			clear(block(out, n, size))
		}
		c := block(out, op.steps+n, size)
		if n == op.steps-1 {
			clear(c)
			break
		}
		var x []T
		var xi *kernel.CSR[T]
		if op.has[n] {
			v := in[k]
			if xi = events(v); xi == nil {
				x = slice(v)
				if xi = index.LookupSpikes(op.spikes[k], x); xi == nil {
					xi = index.Build(&op.s.inputs, n, x, op.rows)
				}
			}
			k++
		}
		if x == nil && xi == nil && cur == nil {
			clear(c)
			continue
		}
		kernel.SynapseDecay(op.Workers, c, op.rows, bs, cur, x, xi, w, nil, nil, nil)
		cur = c
	}
}

func (op decayTraceOp) DiffWRT(n int) []bool {
	return append(append([]bool(nil), op.diff...), true, true, true)
}

// SymDiff returns each input's gradient, dI_o[n+1]·Wᵀ, as a backProjOp
// on a block of the currents' gradients, W's fused gradient and the
// decays' gradients, which the currents' gradients carry in their last
// two rows.
func (op decayTraceOp) SymDiff(in G.Nodes, trace, grad *G.Node) (G.Nodes, error) {
	info := op.traceInfo()
	w, bs, bo := in[len(in)-3], in[len(in)-2], in[len(in)-1]
	dc, err := G.ApplyOp(decayTraceGradOp{opkit.Matrices(5, grad), info}, grad, trace, bs, bo, w)
	if err != nil {
		return nil, err
	}
	out := make(G.Nodes, len(in))
	k := 0
	var xs []*G.Node // the inputs by step
	for n, has := range op.has {
		if !has {
			continue
		}
		if op.diff[k] {
			bp := backProjOp{opkit.Matrices(2, dc), 1, dc, w, n, op.rows}
			if out[k], err = G.ApplyOp(bp, dc, w); err != nil {
				return nil, err
			}
		}
		xs = append(xs, in[k])
		k++
	}
	wg := traceWeightGradOp{Matrix: opkit.Matrices(len(xs)+1, dc), info: info, gain: 1, s: op.s}
	var wargs G.Nodes
	for n := len(op.has) - 1; n >= 0; n-- {
		if op.has[n] {
			k--
			wg.steps = append(wg.steps, n)
			wg.spikes = append(wg.spikes, op.spikes[k])
			wargs = append(wargs, xs[k])
		}
	}
	if out[len(in)-3], err = G.ApplyOp(wg, append(wargs, dc)...); err != nil {
		return nil, err
	}
	rows := (op.steps + 2) * op.rows
	if out[len(in)-1], err = G.ApplyOp(rowsOp{opkit.Matrices(1, dc), op.s.id, rows, 1}, dc); err != nil {
		return nil, err
	}
	out[len(in)-2], err = G.ApplyOp(rowsOp{opkit.Matrices(1, dc), op.s.id, rows + 1, 1}, dc)
	return out, err
}

// decayTraceGradOp computes from the trace's gradient, the trace, the
// decays (β_syn, β_out) and W_o the currents' gradients and the decays',
// [(T+2)·rows + 2 + stride, outputs]: block m is dI_o[m+1], the gradient
// of step m's synaptic update (zero where there is none), blocks T and
// T+1 are scratch space, the next two rows are dβ_out and dβ_syn
// (kernel.ReadoutGradDecay), and W_oᵀ ([outputs, stride], see
// kernel.ProjT) follows, as after traceGradOp's blocks, for the fused
// gradients of the spikes (gradUProjDecayOp).
type decayTraceGradOp struct {
	opkit.Matrix
	info traceInfo
}

func (op decayTraceGradOp) String() string        { return fmt.Sprintf("ReadoutGradDecays%v", op.info) }
func (op decayTraceGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op decayTraceGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op decayTraceGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) || s[0][0] != op.info.blocks*op.info.rows || !s[2].Eq(s[3]) || s[2][0] != 1 || s[2][1] != s[0][1] || s[4][1] != s[0][1] {
		return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
	}
	return tensor.Shape{(op.info.steps+2)*op.info.rows + 2 + kernel.ProjStride(s[4][0]), s[0][1]}, nil
}
func (op decayTraceGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op decayTraceGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	cols := in[0].Shape()[1]
	stride := kernel.ProjStride(in[4].Shape()[0])
	out := opkit.NewOutput(p, in[0].Dtype(), (op.info.steps+2)*op.info.rows+2+stride, cols)
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		v := opkit.Slices32(in[0], in[1], in[2], in[3], in[4])
		decayTraceGrad(op.info, o[:len(o)-cols*stride], v[0], v[1], v[2], v[3])
		kernel.ProjT(o[len(o)-cols*stride:], v[4], cols, stride, 1)
	case []float64:
		v := opkit.Slices64(in[0], in[1], in[2], in[3], in[4])
		decayTraceGrad(op.info, o[:len(o)-cols*stride], v[0], v[1], v[2], v[3])
		kernel.ProjT(o[len(o)-cols*stride:], v[4], cols, stride, 1)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func decayTraceGrad[T kernel.Float](info traceInfo, out, dtrace, trace, bs, bo []T) {
	T_, cols := info.steps, len(bs)
	size := info.rows * cols
	dp, p, c, dc := make([][]T, T_), make([][]T, T_), make([][]T, T_), make([][]T, T_)
	for n := range T_ {
		dp[n], p[n], c[n], dc[n] = block(dtrace, n, size), block(trace, n, size), block(trace, T_+n, size), block(out, n, size)
	}
	clear(dc[T_-1])
	grads := out[(T_+2)*size:]
	kernel.ReadoutGradDecay(dc[:T_-1], grads[:cols], grads[cols:], [2][]T{block(out, T_, size), block(out, T_+1, size)}, dp, p, c[:T_-1], info.live, bo, bs)
}

func (decayTraceGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (decayTraceGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

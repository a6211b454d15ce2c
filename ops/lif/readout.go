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

// ReadoutMax builds the logits of a leaky readout over len(in) steps,
//
//	U_o[n+1] = β_out·U_o[n] + Ĩ_o[n]
//	Ĩ_o[n+1] = β_syn·Ĩ_o[n] + (1 − β_out)·x[n]·W
//	logits   = max_n U_o[n]
//
// (Ĩ_o scaled by 1 − β_out, nil inputs zero), as two nodes instead of two
// per step and a maximum: the trace of all potentials, one node that reads
// every input, and its maximum over time. The backward pass is as short:
// one node spreads the logits' gradient over the steps, one runs the
// recurrence of the readout's gradients back in time, and one computes
// W's gradient; each input receives gain·dĨ_o[n+1]·Wᵀ from one block of
// the latter, which a Cell's spike op computes inside its fused gradient
// (as it does from a per-step synapse's). Node counts matter: Gorgonia's
// compiler spends time in proportion to nodes × edges.
//
// It computes, bit for bit, what graph.LeakyReadout's per-step nodes and
// ops.MaxOverTime over its potentials compute, forward and backward,
// with the same kernels in the same order.
func ReadoutMax(betaSyn, betaOut float64, in []*G.Node, w *G.Node) (*G.Node, error) {
	T := len(in)
	op := traceOp{betaSyn: betaSyn, betaOut: betaOut, steps: T, s: NewSynapses(w, nil), has: make([]bool, T), first: -1}
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
		return nil, fmt.Errorf("lif.ReadoutMax: no readout potential can be non-zero within %d steps", T)
	}
	op.rows = args[0].Shape()[0]
	args = append(args, w)
	op.Matrix = opkit.Matrices(len(args), w)
	trace, err := G.ApplyOp(op, args...)
	if err != nil {
		return nil, err
	}
	return G.ApplyOp(traceMaxOp{opkit.Matrices(1, trace), op.traceInfo()}, trace)
}

// traceInfo is what the ops around a trace know of it.
type traceInfo struct {
	id          uint64 // the readout's layer number
	steps, rows int    // T, batch
	live        int    // U_o[live … T−1] are the live potentials
	// blocks is the number of [rows, outputs] blocks of the trace, 0 for
	// T + 2 (the potentials, then two for the current).
	blocks int
}

func (t traceInfo) String() string {
	if t.blocks != 0 {
		return fmt.Sprintf("#%d[T=%d,rows=%d,live=%d,blocks=%d]", t.id, t.steps, t.rows, t.live, t.blocks)
	}
	return fmt.Sprintf("#%d[T=%d,rows=%d,live=%d]", t.id, t.steps, t.rows, t.live)
}

// blockCount is the number of blocks of the trace.
func (t traceInfo) blockCount() int {
	if t.blocks != 0 {
		return t.blocks
	}
	return t.steps + 2
}

// block returns block n of x, whose blocks are rows·cols long.
func block[T kernel.Float](x []T, n, size int) []T { return x[n*size : (n+1)*size] }

// traceOp computes the potentials of every step from (x_first, …, W), the
// non-nil inputs in order of steps, as a [(T+2)·rows, outputs] matrix: block
// n is U_o[n] (zero where nil); blocks T and T+1 hold the current.
type traceOp struct {
	opkit.Matrix
	betaSyn, betaOut float64
	steps, rows      int
	first            int    // the first non-nil input
	has              []bool // in[n] is not nil
	diff             []bool // per non-nil input: not detached
	s                *Synapses
	spikes           []*index.Spikes
}

func (op traceOp) traceInfo() traceInfo {
	return traceInfo{op.s.id, op.steps, op.rows, op.first + 1, 0}
}

func (op traceOp) gain() float64 { return 1 - op.betaOut }

func (op traceOp) String() string {
	return fmt.Sprintf("ReadoutTrace%v[%g,%g,%v,%v]", op.traceInfo(), op.betaSyn, op.betaOut, op.has, op.diff)
}
func (op traceOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op traceOp) Hashcode() uint32      { return opkit.Hash(op) }

func (op traceOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	w := s[len(s)-1]
	for _, x := range s[:len(s)-1] {
		if x[0] != op.rows || x[1] != w[0] {
			return nil, fmt.Errorf("%v: input %v does not fit weights %v and %d rows", op, x, w, op.rows)
		}
	}
	return tensor.Shape{(op.steps + 2) * op.rows, w[1]}, nil
}

func (op traceOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op traceOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	w := in[len(in)-1]
	if _, ok := w.(*Events); ok {
		return nil, fmt.Errorf("%v: Events can only be the inputs x", op)
	}
	cols := w.Shape()[1]
	out := opkit.NewOutput(p, w.Dtype(), (op.steps+2)*op.rows, cols)
	switch out.Dtype() {
	case tensor.Float32:
		runTrace(op, opkit.DataOf(out).([]float32), in, events32, opkit.Slice32)
	case tensor.Float64:
		runTrace(op, opkit.DataOf(out).([]float64), in, events64, opkit.Slice64)
	default:
		return nil, opkit.DtypeError(op, w)
	}
	return out, nil
}

// runTrace follows graph.LeakyReadout's steps: the membrane update, then
// the synaptic update (ops.Scale's β·c where there is no input).
func runTrace[T kernel.Float](op traceOp, out []T, in []G.Value, events func(any) *kernel.CSR[T], slice func(G.Value) []T) {
	size := len(out) / (op.steps + 2)
	w := slice(in[len(in)-1])
	var cur, pot []T
	slot, k := 0, 0
	for n := 0; n < op.steps; n++ {
		if pot != nil || cur != nil {
			next := block(out, n, size)
			kernel.Membrane(op.Workers, next, T(op.betaOut), pot, cur, nil)
			pot = next
		} else {
			clear(block(out, n, size))
		}
		if n == op.steps-1 {
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
			continue
		}
		next := block(out, op.steps+slot, size)
		slot ^= 1
		kernel.Synapse(op.Workers, next, op.rows, T(op.betaSyn), cur, T(op.gain()), x, xi, w, nil, nil, nil)
		cur = next
	}
}

func (op traceOp) DiffWRT(n int) []bool { return append(append([]bool(nil), op.diff...), true) }

// SymDiff returns each input's gradient, gain·dĨ_o[n+1]·Wᵀ, as a
// backProjOp on a block of the currents' gradients (which a Cell's spike op
// reads instead), and W's fused gradient.
func (op traceOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	info := op.traceInfo()
	w := in[len(in)-1]
	dc, err := G.ApplyOp(traceGradOp{opkit.Matrices(2, grad), info, op.betaSyn, op.betaOut}, grad, w)
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
			bp := backProjOp{opkit.Matrices(2, dc), op.gain(), dc, w, n, op.rows}
			if out[k], err = G.ApplyOp(bp, dc, w); err != nil {
				return nil, err
			}
		}
		xs = append(xs, in[k])
		k++
	}
	// W's gradient sums the steps latest first, as the per-step synapses'
	// fused gradient does (they are differentiated in that order).
	wg := traceWeightGradOp{Matrix: opkit.Matrices(len(in), dc), info: info, gain: op.gain(), s: op.s}
	var wargs G.Nodes
	for n := len(op.has) - 1; n >= 0; n-- {
		if op.has[n] {
			k--
			wg.steps = append(wg.steps, n)
			wg.spikes = append(wg.spikes, op.spikes[k])
			wargs = append(wargs, xs[k])
		}
	}
	if out[len(in)-1], err = G.ApplyOp(wg, append(wargs, dc)...); err != nil {
		return nil, err
	}
	return out, nil
}

// traceMaxOp is the maximum over time of a trace's live potentials, as
// ops.MaxOverTime computes it (with the zero when U_o[0] is nil).
type traceMaxOp struct {
	opkit.Matrix
	info traceInfo
}

func (op traceMaxOp) String() string        { return fmt.Sprintf("ReadoutMax%v", op.info) }
func (op traceMaxOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op traceMaxOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op traceMaxOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{op.info.rows, s[0][1]}, nil
}
func (op traceMaxOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op traceMaxOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	cols := in[0].Shape()[1]
	out := opkit.NewOutput(p, in[0].Dtype(), op.info.rows, cols)
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		kernel.MaxOverTime(o, op.info.live > 0, false, potentials(op.info, opkit.DataOf(in[0]).([]float32)))
	case []float64:
		kernel.MaxOverTime(o, op.info.live > 0, false, potentials(op.info, opkit.DataOf(in[0]).([]float64)))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}
func (op traceMaxOp) DiffWRT(int) []bool { return []bool{true} }
func (op traceMaxOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(traceMaxGradOp{opkit.Matrices(2, grad), op.info}, grad, in[0])
	return G.Nodes{g}, err
}

// potentials returns the live blocks of a trace.
func potentials[T kernel.Float](info traceInfo, x []T) [][]T {
	size := len(x) / info.blockCount()
	xs := make([][]T, 0, info.steps-info.live)
	for n := info.live; n < info.steps; n++ {
		xs = append(xs, block(x, n, size))
	}
	return xs
}

// traceMaxGradOp computes the trace's gradient from (g, trace): g where a
// potential wins the maximum (ops.MaxOverTime's rule), zero elsewhere.
type traceMaxGradOp struct {
	opkit.Matrix
	info traceInfo
}

func (op traceMaxGradOp) String() string        { return fmt.Sprintf("ReadoutMaxGrad%v", op.info) }
func (op traceMaxGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op traceMaxGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op traceMaxGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	return s[1].Clone(), nil
}
func (op traceMaxGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op traceMaxGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[1].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), s[0], s[1])
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		maxGrad(op.info, o, opkit.DataOf(in[0]).([]float32), opkit.DataOf(in[1]).([]float32))
	case []float64:
		maxGrad(op.info, o, opkit.DataOf(in[0]).([]float64), opkit.DataOf(in[1]).([]float64))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func maxGrad[T kernel.Float](info traceInfo, out, g, trace []T) {
	idx := make([]T, len(g))
	kernel.MaxOverTime(idx, info.live > 0, true, potentials(info, trace))
	size := len(g)
	clear(out[:info.live*size])
	for n := info.live; n < info.steps; n++ {
		kernel.Pick(block(out, n, size), g, idx, T(n-info.live))
	}
	clear(out[info.steps*size:])
}

// traceGradOp computes from the trace's gradient dP and W_o the gradients
// of the currents, [(T+2)·rows + stride, outputs]: block n is dĨ_o[n+1],
// the gradient of the synaptic update of step n (zero where there is
// none), and gain·W_oᵀ follows the blocks ([outputs, stride], see
// kernel.ProjT), for the fused gradients of the spikes (lifGradUProjOp),
// which so need neither read W_o each nor transpose it at every step. Its
// recurrence is the one Gorgonia builds from the per-step nodes,
//
//	dU_o[n] = dP[n] + β_out·dU_o[n+1]
//	dĨ_o[n] = dU_o[n+1] + β_syn·dĨ_o[n+1]
//
// each product rounded before the sum, as ops.Scale's node and Gorgonia's
// addition do.
type traceGradOp struct {
	opkit.Matrix
	info             traceInfo
	betaSyn, betaOut float64
}

func (op traceGradOp) String() string {
	return fmt.Sprintf("ReadoutGrad%v[%g,%g]", op.info, op.betaSyn, op.betaOut)
}
func (op traceGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op traceGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op traceGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	if s[0][1] != s[1][1] || s[0][0] != (op.info.steps+2)*op.info.rows {
		return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
	}
	return tensor.Shape{s[0][0] + kernel.ProjStride(s[1][0]), s[0][1]}, nil
}
func (op traceGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op traceGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	s := in[0].Shape()
	stride := kernel.ProjStride(in[1].Shape()[0])
	out := opkit.NewOutput(p, in[0].Dtype(), s[0]+stride, s[1])
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		dp := opkit.DataOf(in[0]).([]float32)
		traceGrad(op, o[:len(dp)], dp)
		kernel.ProjT(o[len(dp):], opkit.Slice32(in[1]), s[1], stride, float32(op.gain()))
	case []float64:
		dp := opkit.DataOf(in[0]).([]float64)
		traceGrad(op, o[:len(dp)], dp)
		kernel.ProjT(o[len(dp):], opkit.Slice64(in[1]), s[1], stride, op.gain())
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// gain is the readout's 1 − β_out, the lifGradUProjOp's gain.
func (op traceGradOp) gain() float64 { return 1 - op.betaOut }

func traceGrad[T kernel.Float](op traceGradOp, out, dp []T) {
	T_, live := op.info.steps, op.info.live
	size := len(dp) / (T_ + 2)
	bo, bs := T(op.betaOut), T(op.betaSyn)
	// dU_o[n] lives in blocks T and T+1 in turn, dĨ_o[n] (that is, the
	// gradient of the synaptic update of step n−1) in block n−1.
	clear(out[:max(live-1, 0)*size])
	clear(block(out, T_-1, size))
	var du []T
	for n := T_ - 1; n >= live; n-- {
		next := block(out, T_+n%2, size)
		d := block(dp, n, size)
		if du == nil {
			copy(next, d)
		} else {
			for i := range next {
				next[i] = d[i] + T(bo*du[i])
			}
		}
		du = next
		// The synaptic update of step n−1 feeds U_o[n] (dU_o[n]) and,
		// below T−1, its own successor (β_syn·dĨ_o[n+1]).
		c := block(out, n-1, size)
		if n == T_-1 {
			copy(c, du)
			continue
		}
		cn := block(out, n, size)
		for i := range c {
			c[i] = du[i] + T(bs*cn[i])
		}
	}
}

func (traceGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (traceGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (traceMaxGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (traceMaxGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

// traceWeightGradOp computes gain·Σ_n x[n]ᵀ·dĨ_o[n+1] from (x…, dĨ_o),
// the fused weight gradient of a readout trace.
type traceWeightGradOp struct {
	opkit.Matrix
	info   traceInfo
	gain   float64
	s      *Synapses // whose forward pass indexed dense inputs, under their steps
	steps  []int
	spikes []*index.Spikes
}

func (op traceWeightGradOp) String() string {
	return fmt.Sprintf("ReadoutWeightGrad%v[%g,%v]", op.info, op.gain, op.steps)
}
func (op traceWeightGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op traceWeightGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op traceWeightGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{s[0][1], s[len(s)-1][1]}, nil
}
func (op traceWeightGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op traceWeightGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	dc := in[len(in)-1]
	if _, ok := dc.(*Events); ok {
		return nil, fmt.Errorf("%v: Events can only be the inputs x", op)
	}
	// (x_0, dĨ_o, x_1, dĨ_o, …) for gradInputs, whose g_j become blocks.
	pairs := make([]G.Value, 0, 2*(len(in)-1))
	keys := make([]int, 0, len(in)-1)
	for j, x := range in[:len(in)-1] {
		pairs = append(pairs, x, dc)
		keys = append(keys, op.steps[j])
	}
	fanIn, cols := in[0].Shape()[1], dc.Shape()[1]
	size := op.info.rows * cols
	out := opkit.NewOutput(p, dc.Dtype(), fanIn, cols)
	switch out.Dtype() {
	case tensor.Float32:
		xs, xis, gs := gradInputs(pairs, &op.s.inputs, keys, op.spikes, nil, events32, opkit.Slice32)
		for j, n := range op.steps {
			gs[j] = block(gs[j], n, size)
		}
		kernel.WeightGrad(op.Workers, opkit.DataOf(out).([]float32), fanIn, cols, float32(op.gain), xs, xis, gs)
	case tensor.Float64:
		xs, xis, gs := gradInputs(pairs, &op.s.inputs, keys, op.spikes, nil, events64, opkit.Slice64)
		for j, n := range op.steps {
			gs[j] = block(gs[j], n, size)
		}
		kernel.WeightGrad(op.Workers, opkit.DataOf(out).([]float64), fanIn, cols, op.gain, xs, xis, gs)
	default:
		return nil, opkit.DtypeError(op, dc)
	}
	return out, nil
}
func (traceWeightGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (traceWeightGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

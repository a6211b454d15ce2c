package lif

import (
	"cmp"
	"fmt"
	"hash"
	"slices"
	"sync/atomic"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// Synapses builds the synaptic updates of one layer over time,
//
//	c[n+1] = β·c[n] + gain·(x[n]·W + r[n]·V),
//
// one node per step, with the input projections x[n]·W and r[n]·V done by
// gathering the rows of W and V for the non-zero entries of x[n] and r[n]
// (spike rasters are sparse; any values work). c, x, r are [batch, ·]
// matrices, W [fan_in, units], V [units, units].
//
// The weight gradients are fused: instead of one [fan_in, units] gradient
// per step that Gorgonia would then add up step by step, the first step
// that reads W returns the whole Σ_n gain·x[n]ᵀ·dc[n+1] as one node, built
// sparsely from the gradients the later steps hand it; later steps declare
// W non-differentiable. (The first step is differentiated last: every later
// step depends on it through c.) The same holds for V.
type Synapses struct {
	id           uint64 // the layer's identity in its ops' hashes
	w, v         *G.Node
	usedW, usedV bool // a step has read W (V): later steps do not collect
	records      []synRecord
	inputs       index.Inputs // indexes of the inputs, from the forward pass
	steps        int          // built so far: each step's keys in inputs
}

type synRecord struct {
	x, r, grad *G.Node
	xBlock     stepBlock
	step       int
}

// NewSynapses starts the synaptic updates of a layer with feed-forward
// weights w and recurrent weights v (nil for none).
func NewSynapses(w, v *G.Node) *Synapses { return &Synapses{id: newLayerID(), w: w, v: v} }

// layerIDs numbers the layers whose ops carry per-layer state (Synapses,
// Cell). Gorgonia merges nodes whose op hashes and children are equal,
// so such an op must print its layer's number: otherwise two layers that
// read the same weight and input nodes (tied weights) would share nodes.
var layerIDs atomic.Uint64

func newLayerID() uint64 { return layerIDs.Add(1) }

// Step returns c[n+1] = β·c + gain·(x·W + r·V); nil c, x or r are zero and
// the result is nil if all three are. Steps must be built in time order and
// each must depend on the one before through c (c[n+1] is the next c), as
// the fused weight gradients rely on it.
func (s *Synapses) Step(beta float64, c *G.Node, gain float64, x, r *G.Node) (*G.Node, error) {
	return s.step(beta, c, gain, x, r, false, nil, 0, nil)
}

// step is Step for the synapses of a Cell's step n, whose synaptic
// update also reads U[n+1] (next) so that Gorgonia differentiates it first;
// stopR passes no gradient to r, as if it were detached.
func (s *Synapses) step(beta float64, c *G.Node, gain float64, x, r *G.Node, stopR bool, cell *Cell, n int, next *G.Node) (*G.Node, error) {
	if r != nil && s.v == nil {
		return nil, fmt.Errorf("lif.Synapses: recurrent input without recurrent weights")
	}
	switch {
	case x == nil && r == nil && c == nil:
		return nil, nil
	case x == nil && r == nil && cell == nil:
		return scaled(beta, c)
	}
	// A detached input is read itself, without gradient.
	x, stopX := opkit.Undetach(x)
	r, stop := opkit.Undetach(r)
	stopR = stopR || stop
	// A step of an input is read as its block of the input (see Steps).
	x, xb := stepOf(x)
	stopX = stopX || xb.of > 0
	op := synapseOp{beta: beta, gain: gain, hasC: c != nil, hasX: x != nil, hasR: r != nil, s: s, cell: cell, n: n, step: s.steps,
		xSpikes: opkit.SpikeIndexOf(x), rSpikes: opkit.SpikeIndexOf(r), xBlock: xb}
	var in G.Nodes
	if c != nil {
		in = append(in, c)
	}
	if x != nil {
		op.diffX = !opkit.IsDetached(x) && !stopX
		op.collectW = !s.usedW && cell == nil
		op.readsW = op.collectW || !s.w.IsVar()
		in = append(in, x)
		if op.readsW {
			in = append(in, s.w)
		}
	}
	if r != nil {
		op.diffR = !opkit.IsDetached(r) && !stopR
		op.collectV = !s.usedV && cell == nil
		op.readsV = op.collectV || !s.v.IsVar()
		in = append(in, r)
		if op.readsV {
			in = append(in, s.v)
		}
	}
	if next != nil {
		op.hasNext = true
		in = append(in, next)
	}
	if cell != nil {
		in = append(in, cell.token)
		if cell.decays != nil {
			op.decays = true
			in = append(in, cell.decays.syn)
		}
	}
	op.Matrix = opkit.Matrices(len(in), in[0])
	out, err := G.ApplyOp(op, in...)
	if err != nil {
		return nil, err
	}
	s.usedW = s.usedW || x != nil
	s.usedV = s.usedV || r != nil
	s.steps++
	return out, nil
}

type synapseOp struct {
	opkit.Matrix
	beta, gain         float64
	hasC, hasX, hasR   bool
	diffX, diffR       bool
	collectW, collectV bool
	// readsW (readsV) says that W (V) is among the inputs; otherwise the
	// step reads it from its node (see weights).
	readsW, readsV   bool
	s                *Synapses // its id is part of the hash: steps of two layers never merge
	cell             *Cell     // set for a Cell's step n
	n                int
	hasNext          bool          // reads U[n+1] for the order only
	step             int           // order among the Synapses' steps: its keys in inputs
	xSpikes, rSpikes *index.Spikes // of x and r when they are spikes
	xBlock           stepBlock     // of x that the step reads
	decays           bool          // the Cell's β_syn per neuron, the last input
}

func (op synapseOp) String() string {
	s := fmt.Sprintf("Synapse#%d[%g,%g,c=%t,x=%t/%t/%t,r=%t/%t/%t", op.s.id, op.beta, op.gain,
		op.hasC, op.hasX, op.diffX, op.collectW, op.hasR, op.diffR, op.collectV)
	if op.cell != nil {
		s += fmt.Sprintf(",step %d,next=%t", op.n, op.hasNext)
	} else {
		// Its keys in the layer's index of inputs.
		s += fmt.Sprintf(",order %d", op.step)
	}
	if op.xBlock.of > 0 {
		s += ",x " + op.xBlock.String()
	}
	if op.decays {
		s += ",decays"
	}
	return s + "]"
}
func (op synapseOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }

// The result may take the memory of c when nothing reads c afterwards: the
// current of a layer then lives in one tensor for all steps.
func (op synapseOp) ReturnsPtr() bool { return op.hasC }
func (op synapseOp) OverwritesInput() int {
	if op.hasC {
		return 0
	}
	return -1
}
func (op synapseOp) Hashcode() uint32 { return opkit.Hash(op) }

// parts returns the inputs (values or nodes) as (c, x, w, r, v), nil where
// absent; w (v) is also nil where the step does not read it as an input.
func parts[V any](op synapseOp, in []V) (c, x, w, r, v V) {
	k := 0
	if op.hasC {
		c, k = in[k], k+1
	}
	if op.hasX {
		x, k = in[k], k+1
		if op.readsW {
			w, k = in[k], k+1
		}
	}
	if op.hasR {
		r, k = in[k], k+1
		if op.readsV {
			v = in[k]
		}
	}
	return
}

// weights returns the nodes of W and V that the step multiplies, nil where
// it has no such input.
//
// A step takes W (V) as an input only where its gradient is W's (the first
// of plain Synapses' steps that reads it, collectW) or where W is not a
// variable; every other step reads the variable's value from its node,
// which is the value the input would hold: Gorgonia loads an input's
// register from the node's value at the start of every run and keeps it
// live, never overwritten, for the whole program. Gorgonia's compiler
// spends time in proportion to nodes × inputs read (issue 25), and W and V
// were two of a step's seven inputs; a Cell's token reads both anyway.
func (op synapseOp) weights() (w, v *G.Node) {
	if op.hasX {
		w = op.s.w
	}
	if op.hasR {
		v = op.s.v
	}
	return w, v
}

func (op synapseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if op.decays {
		in = in[:len(in)-1] // β_syn
	}
	if op.cell != nil {
		in = in[:len(in)-1] // the token
	}
	if op.hasNext {
		in = in[:len(in)-1]
	}
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	c, x, w, r, v := parts(op, s)
	if x != nil {
		x = tensor.Shape{op.xBlock.rows(x[0]), x[1]}
	}
	wn, vn := op.weights()
	if w == nil && wn != nil {
		w = wn.Shape()
	}
	if v == nil && vn != nil {
		v = vn.Shape()
	}
	rows, cols := -1, -1
	check := func(r, c int) error {
		if rows >= 0 && (r != rows || c != cols) {
			return fmt.Errorf("%v: inconsistent shapes %v", op, in)
		}
		rows, cols = r, c
		return nil
	}
	if op.hasC {
		if err := check(c[0], c[1]); err != nil {
			return nil, err
		}
	}
	for _, p := range [][2]tensor.Shape{{x, w}, {r, v}} {
		x, w := p[0], p[1]
		if x == nil {
			continue
		}
		if len(w) != 2 || x[1] != w[0] {
			return nil, fmt.Errorf("%v: input %v does not fit weights %v", op, x, w)
		}
		if err := check(x[0], w[1]); err != nil {
			return nil, err
		}
	}
	return tensor.Shape{rows, cols}, nil
}

func (op synapseOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op synapseOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	c, x, w, r, v := parts(op, in)
	wn, vn := op.weights()
	if w == nil && wn != nil {
		w = wn.Value()
	}
	if v == nil && vn != nil {
		v = vn.Value()
	}
	if x != nil {
		x = stepValue(x, op.xBlock)
	}
	for _, t := range []G.Value{c, w, r, v} {
		if _, ok := t.(*Events); ok {
			return nil, fmt.Errorf("%v: Events can only be the input x", op)
		}
	}
	var rows, cols int
	switch {
	case c != nil:
		rows, cols = c.Shape()[0], c.Shape()[1]
	case x != nil:
		rows, cols = stepRows(x, op.xBlock), w.Shape()[1]
	default:
		rows, cols = r.Shape()[0], v.Shape()[1]
	}
	out := opkit.NewOutput(p, in[0].Dtype(), rows, cols)
	// Events come with their index; a dense x is indexed here.
	xe32, xe64 := events32(x), events64(x)
	if xe32 != nil || xe64 != nil {
		x = nil
	}
	if op.decays {
		beta := in[len(in)-1]
		switch out.Dtype() {
		case tensor.Float32:
			d := opkit.Slices32(out, c, x, w, r, v)
			d[2] = stepData(x, d[2], op.xBlock)
			xi, ri := inputIndexes(op, xe32, d[2], d[4], rows)
			kernel.SynapseDecay(op.Workers, d[0], rows, opkit.Slice32(beta), d[1], d[2], xi, d[3], d[4], ri, d[5])
		case tensor.Float64:
			d := opkit.Slices64(out, c, x, w, r, v)
			d[2] = stepData(x, d[2], op.xBlock)
			xi, ri := inputIndexes(op, xe64, d[2], d[4], rows)
			kernel.SynapseDecay(op.Workers, d[0], rows, opkit.Slice64(beta), d[1], d[2], xi, d[3], d[4], ri, d[5])
		default:
			return nil, opkit.DtypeError(op, in[0])
		}
		return out, nil
	}
	switch out.Dtype() {
	case tensor.Float32:
		d := opkit.Slices32(out, c, x, w, r, v)
		d[2] = stepData(x, d[2], op.xBlock)
		xi, ri := inputIndexes(op, xe32, d[2], d[4], rows)
		kernel.Synapse(op.Workers, d[0], rows, float32(op.beta), d[1], float32(op.gain), d[2], xi, d[3], d[4], ri, d[5])
	case tensor.Float64:
		d := opkit.Slices64(out, c, x, w, r, v)
		d[2] = stepData(x, d[2], op.xBlock)
		xi, ri := inputIndexes(op, xe64, d[2], d[4], rows)
		kernel.Synapse(op.Workers, d[0], rows, op.beta, d[1], op.gain, d[2], xi, d[3], d[4], ri, d[5])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// inputIndexes returns the indexes of x and r: xe for Events, the Spike
// op's for spikes, and otherwise an index built now for the fused weight
// gradient to read again (nil for a dense or absent input).
func inputIndexes[T float](op synapseOp, xe *kernel.CSR[T], x, r []T, rows int) (xi, ri *kernel.CSR[T]) {
	xi, ri = cmp.Or(xe, index.LookupSpikes(op.xSpikes, x)), index.LookupSpikes(op.rSpikes, r)
	if xi == nil {
		xi = index.Build(&op.s.inputs, 2*op.step, x, rows)
	}
	if ri == nil {
		ri = index.Build(&op.s.inputs, 2*op.step+1, r, rows)
	}
	return xi, ri
}

func (op synapseOp) DiffWRT(int) []bool {
	var d []bool
	if op.hasC {
		d = append(d, op.cell == nil) // a cell's membrane update builds dĨ[n]
	}
	if op.hasX {
		d = append(d, op.diffX)
		if op.readsW {
			d = append(d, op.collectW)
		}
	}
	if op.hasR {
		d = append(d, op.diffR)
		if op.readsV {
			d = append(d, op.collectV)
		}
	}
	if op.hasNext {
		d = append(d, false)
	}
	if op.cell != nil {
		d = append(d, true) // the token: the weights' gradients flow through it
	}
	if op.decays {
		d = append(d, false) // β_syn: its gradient flows through the token
	}
	return d
}

func (op synapseOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	c, x, _, r, _ := parts(op, in)
	w, v := op.weights()
	op.s.records = append(op.s.records, synRecord{x: x, r: r, grad: grad, xBlock: op.xBlock, step: op.step})
	var out G.Nodes
	switch {
	case c != nil && op.cell != nil:
		// Hand dĨ[n+1] to the membrane update of step n, which builds dĨ[n].
		op.cell.synIn[op.n] = &stepGrad{grad: grad}
		out = append(out, nil)
	case c != nil:
		g, err := scaled(op.beta, grad)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}

	for _, part := range []struct {
		has, diff, collect, reads bool
		x, w                      *G.Node
		recurrent                 bool
	}{{op.hasX, op.diffX, op.collectW, op.readsW, x, w, false}, {op.hasR, op.diffR, op.collectV, op.readsV, r, v, true}} {
		if !part.has {
			continue
		}
		var gx, gw *G.Node
		var err error
		if part.diff {
			if gx, err = G.ApplyOp(backProjOp{opkit.Matrices(2, grad), op.gain, grad, part.w, 0, 0}, grad, part.w); err != nil {
				return nil, err
			}
		}
		if part.collect {
			if gw, err = op.s.weightGrad(op.gain, part.recurrent); err != nil {
				return nil, err
			}
		}
		out = append(out, gx)
		if part.reads {
			out = append(out, gw)
		}
	}
	if op.hasNext {
		out = append(out, nil)
	}
	if op.cell != nil {
		z, err := op.cell.zero()
		if err != nil {
			return nil, err
		}
		out = append(out, z)
	}
	if op.decays {
		out = append(out, nil)
	}
	return out, nil
}

// weightGrad builds the fused gradient of W (or V) from the recorded steps.
func (s *Synapses) weightGrad(gain float64, recurrent bool) (*G.Node, error) {
	var in G.Nodes
	var keys []int
	var spikes []*index.Spikes
	var blocks []stepBlock
	for _, rec := range s.records {
		x, key, b := rec.x, 2*rec.step, rec.xBlock
		if recurrent {
			x, key, b = rec.r, key+1, stepBlock{}
		}
		if x != nil {
			in = append(in, x, rec.grad)
			keys = append(keys, key)
			spikes = append(spikes, opkit.SpikeIndexOf(x))
			blocks = append(blocks, b)
		}
	}
	if len(in) == 0 {
		return nil, nil
	}
	return G.ApplyOp(weightGradOp{opkit.Matrices(len(in), in[0]), gain, s, keys, spikes, blocks}, in...)
}

// weightGrads builds the fused gradients of W and V from the recorded
// steps as one node, [fan_in + units, units], W's rows first, which reads
// each step's gradient once, and two nodes that copy out W's and V's
// parts; nil, nil if either matrix has no term. Each part is computed
// exactly as weightGrad computes it alone.
func (s *Synapses) weightGrads(gain float64) (gw, gv *G.Node, err error) {
	op := weightGradsOp{gain: gain, s: s}
	var gs, xs G.Nodes
	for part, recurrent := range []bool{false, true} {
		for _, rec := range s.records {
			x, key, b := rec.x, 2*rec.step, rec.xBlock
			if recurrent {
				x, key, b = rec.r, key+1, stepBlock{}
			}
			if x == nil {
				continue
			}
			g := slices.Index(gs, rec.grad)
			if g < 0 {
				g, gs = len(gs), append(gs, rec.grad)
			}
			// The steps of an input read it once (see Steps).
			k := slices.Index(xs, x)
			if k < 0 {
				k, xs = len(xs), append(xs, x)
			}
			op.terms[part] = append(op.terms[part], gradTerm{x: k, g: g, key: key, spikes: opkit.SpikeIndexOf(x), b: b})
		}
		if len(op.terms[part]) == 0 {
			return nil, nil, nil
		}
	}
	op.gs = len(gs)
	op.rows = [2]int{s.w.Shape()[0], s.v.Shape()[0]}
	in := append(gs, xs...)
	op.Matrix = opkit.Matrices(len(in), in[0])
	all, err := G.ApplyOp(op, in...)
	if err != nil {
		return nil, nil, err
	}
	if gw, err = G.ApplyOp(rowsOp{opkit.Matrices(1, all), s.id, 0, op.rows[0]}, all); err != nil {
		return nil, nil, err
	}
	gv, err = G.ApplyOp(rowsOp{opkit.Matrices(1, all), s.id, op.rows[0], op.rows[1]}, all)
	return gw, gv, err
}

// gradTerm is x_jᵀ·g_j of a fused weight gradient: the indexes of x_j and
// g_j among the op's inputs, and how the forward pass indexed x_j.
type gradTerm struct {
	x, g   int
	key    int
	spikes *index.Spikes
	b      stepBlock // of x_j
}

// weightGradsOp computes W's and V's fused gradients, stacked, from
// (g_0, …, g_k, x_0, x_1, …): each part gain·Σ_j x_jᵀ·g_j over its terms.
type weightGradsOp struct {
	opkit.Matrix
	gain  float64
	s     *Synapses
	terms [2][]gradTerm
	gs    int    // inputs that are gradients
	rows  [2]int // of W and V
}

func (op weightGradsOp) String() string {
	var keys [2][]int
	for p, ts := range op.terms {
		for _, t := range ts {
			keys[p] = append(keys[p], t.key)
		}
	}
	return fmt.Sprintf("WeightGrads#%d[%g,%v,%v]", op.s.id, op.gain, keys[0], keys[1])
}
func (op weightGradsOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op weightGradsOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op weightGradsOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	for p, ts := range op.terms {
		for _, t := range ts {
			x, g := s[op.gs+t.x], s[t.g]
			if t.b.rows(x[0]) != g[0] || x[1] != op.rows[p] || g[1] != s[0][1] {
				return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
			}
		}
	}
	return tensor.Shape{op.rows[0] + op.rows[1], s[0][1]}, nil
}
func (op weightGradsOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op weightGradsOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	for _, g := range in[:op.gs] {
		if _, ok := g.(*Events); ok {
			return nil, fmt.Errorf("%v: Events can only be the inputs x", op)
		}
	}
	cols := in[0].Shape()[1]
	out := opkit.NewOutput(p, in[0].Dtype(), op.rows[0]+op.rows[1], cols)
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		weightGrads(op, o, cols, float32(op.gain), in, events32, opkit.Slice32)
	case []float64:
		weightGrads(op, o, cols, op.gain, in, events64, opkit.Slice64)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func weightGrads[T float](op weightGradsOp, out []T, cols int, gain T, in []G.Value, events func(any) *kernel.CSR[T], slice func(G.Value) []T) {
	lo := 0
	for p, ts := range op.terms {
		pairs := make([]G.Value, 0, 2*len(ts))
		keys := make([]int, 0, len(ts))
		spikes := make([]*index.Spikes, 0, len(ts))
		blocks := make([]stepBlock, 0, len(ts))
		for _, t := range ts {
			pairs = append(pairs, in[op.gs+t.x], in[t.g])
			keys, spikes, blocks = append(keys, t.key), append(spikes, t.spikes), append(blocks, t.b)
		}
		xs, xis, gs := gradInputs(pairs, &op.s.inputs, keys, spikes, blocks, events, slice)
		n := op.rows[p] * cols
		kernel.WeightGrad(op.Workers, out[lo:lo+n], op.rows[p], cols, gain, xs, xis, gs)
		lo += n
	}
}

// rowsOp copies rows [lo, lo+n) of its input: one matrix's part of a
// weightGradsOp.
type rowsOp struct {
	opkit.Matrix
	id    uint64 // the layer's
	lo, n int
}

func (op rowsOp) String() string        { return fmt.Sprintf("Rows#%d[%d,%d]", op.id, op.lo, op.n) }
func (op rowsOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op rowsOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op rowsOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	if s[0][0] < op.lo+op.n {
		return nil, fmt.Errorf("%v: input %v too short", op, s[0])
	}
	return tensor.Shape{op.n, s[0][1]}, nil
}
func (op rowsOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op rowsOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	cols := in[0].Shape()[1]
	out := opkit.NewOutput(p, in[0].Dtype(), op.n, cols)
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		copy(o, opkit.Slice32(in[0])[op.lo*cols:])
	case []float64:
		copy(o, opkit.Slice64(in[0])[op.lo*cols:])
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

func (weightGradsOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (weightGradsOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (rowsOp) DiffWRT(n int) []bool                               { return opkit.GradientOnly(n) }
func (rowsOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, opkit.ErrSecondOrder }

// weightGradOp computes gain·Σ_j x_jᵀ·g_j from (x_0, g_0, x_1, g_1, …).
type weightGradOp struct {
	opkit.Matrix
	gain   float64
	s      *Synapses       // whose forward pass indexed the x_j,
	keys   []int           // under these keys,
	spikes []*index.Spikes // unless x_j are spikes indexed by their Spike op;
	blocks []stepBlock     // the blocks of x_j the steps read
}

func (op weightGradOp) inputs() *index.Inputs {
	if op.s == nil {
		return nil
	}
	return &op.s.inputs
}

func (op weightGradOp) String() string {
	return fmt.Sprintf("WeightGrad#%d[%g,%d,%v]", op.s.id, op.gain, op.N/2, op.keys)
}
func (op weightGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op weightGradOp) Hashcode() uint32      { return opkit.Hash(op) }

func (op weightGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	if len(s) == 0 || len(s)%2 != 0 {
		return nil, fmt.Errorf("%v: want pairs of inputs", op)
	}
	for j := 0; j < len(s); j += 2 {
		if op.blocks[j/2].rows(s[j][0]) != s[1][0] || s[j+1][0] != s[1][0] || s[j][1] != s[0][1] || s[j+1][1] != s[1][1] {
			return nil, fmt.Errorf("%v: inconsistent shapes %v", op, in)
		}
	}
	return tensor.Shape{s[0][1], s[1][1]}, nil
}

func (op weightGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op weightGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtypeOf(op, in, true); err != nil {
		return nil, err
	}
	for j := 1; j < len(in); j += 2 {
		if _, ok := in[j].(*Events); ok {
			return nil, fmt.Errorf("%v: Events can only be the inputs x", op)
		}
	}
	fanIn, cols := in[0].Shape()[1], in[1].Shape()[1]
	out := opkit.NewOutput(p, in[0].Dtype(), fanIn, cols)
	switch out.Dtype() {
	case tensor.Float32:
		xs, xis, gs := gradInputs(in, op.inputs(), op.keys, op.spikes, op.blocks, events32, opkit.Slice32)
		kernel.WeightGrad(op.Workers, opkit.DataOf(out).([]float32), fanIn, cols, float32(op.gain), xs, xis, gs)
	case tensor.Float64:
		xs, xis, gs := gradInputs(in, op.inputs(), op.keys, op.spikes, op.blocks, events64, opkit.Slice64)
		kernel.WeightGrad(op.Workers, opkit.DataOf(out).([]float64), fanIn, cols, op.gain, xs, xis, gs)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// gradInputs splits (x_0, g_0, x_1, g_1, …) into the x_j, their indexes
// (from Events, or from the forward pass's index of a dense x_j, or nil)
// and the g_j.
func gradInputs[T float](in []G.Value, inputs *index.Inputs, keys []int, spikes []*index.Spikes, blocks []stepBlock, events func(any) *kernel.CSR[T], slice func(G.Value) []T) (xs [][]T, xis []*kernel.CSR[T], gs [][]T) {
	xs, xis, gs = make([][]T, 0, len(in)/2), make([]*kernel.CSR[T], 0, len(in)/2), make([][]T, 0, len(in)/2)
	for j := 0; j < len(in); j += 2 {
		var b stepBlock // nil blocks: whole values
		if blocks != nil {
			b = blocks[j/2]
		}
		v := stepValue(in[j], b)
		xi := events(v)
		var x []T
		if xi == nil {
			x = stepData(v, slice(v), b)
			if spikes != nil {
				xi = index.LookupSpikes(spikes[j/2], x)
			}
			if xi == nil && inputs != nil {
				xi = index.Lookup(inputs, keys[j/2], x)
			}
		}
		xs, xis, gs = append(xs, x), append(xis, xi), append(gs, slice(in[j+1]))
	}
	return xs, xis, gs
}

// backProjOp computes gain·g·Wᵀ from (g [rows, cols], W [fan_in, cols]):
// the gradient that flows back into a synapse's input. With rows set, g
// is a stack of [rows, cols] blocks and block is the one it reads (a
// readout trace's, see ReadoutMax).
type backProjOp struct {
	opkit.Matrix
	gain        float64
	g, w        *G.Node // its inputs, for a spike op that fuses the projection
	block, rows int
}

func (op backProjOp) String() string {
	if op.rows > 0 {
		return fmt.Sprintf("BackProj[%g,block %d×%d]", op.gain, op.block, op.rows)
	}
	return fmt.Sprintf("BackProj[%g]", op.gain)
}

// gBlock returns the part of g's data that op reads.
func gBlock[T float](op backProjOp, g []T, cols int) []T {
	if op.rows == 0 {
		return g
	}
	return block(g, op.block, op.rows*cols)
}
func (op backProjOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op backProjOp) Hashcode() uint32      { return opkit.Hash(op) }

func (op backProjOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	if s[0][1] != s[1][1] || s[0][0] < (op.block+1)*op.rows {
		return nil, fmt.Errorf("%v: gradient %v does not fit weights %v", op, s[0], s[1])
	}
	if op.rows > 0 {
		return tensor.Shape{op.rows, s[1][0]}, nil
	}
	return tensor.Shape{s[0][0], s[1][0]}, nil
}

func (op backProjOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op backProjOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	rows, cols, fanIn := in[0].Shape()[0], in[0].Shape()[1], in[1].Shape()[0]
	if op.rows > 0 {
		rows = op.rows
	}
	out := opkit.NewOutput(p, in[0].Dtype(), rows, fanIn)
	switch out.Dtype() {
	case tensor.Float32:
		d := opkit.Slices32(out, in[0], in[1])
		kernel.BackProj(op.Workers, d[0], float32(op.gain), gBlock(op, d[1], cols), d[2], cols)
	case tensor.Float64:
		d := opkit.Slices64(out, in[0], in[1])
		kernel.BackProj(op.Workers, d[0], op.gain, gBlock(op, d[1], cols), d[2], cols)
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (weightGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (weightGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}
func (backProjOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (backProjOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

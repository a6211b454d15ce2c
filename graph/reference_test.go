package graph_test

// Plain-Go reference for the forward pass and backpropagation through time of the
// spikegrad network (see docs/conventions.md). It deliberately shares no code with
// the Gorgonia graph: float64 scalars, explicit loops, one trial at a time, so that a
// disagreement between the two points at a real bug rather than a shared one.
//
// Indexing follows docs/conventions.md: n = 0..T-1, I[0] = U[0] = 0,
//
//	S[n]   = H(U[n]-1)
//	I[n+1] = bsyn*I[n] + S_in[n]·W (+ S[n]·V)
//	U[n+1] = (bmem*U[n] + (1-bmem)*I[n]) * (1 - S[n])
//
// and the readout filters S_last the same way with no spike and no reset. The backward
// pass walks n from T-1 down to 0 keeping dL/dI[n+1] and dL/dU[n+1]; on entry to step n
// both are complete because everything that reads I[n+1] or U[n+1] lives at step n+1
// or later.

import (
	"fmt"
	"math"
)

// refConfig describes the network and the loss. A zero LambdaLower/LambdaUpper turns
// the corresponding regulariser off.
type refConfig struct {
	Inputs  int
	Hidden  []int
	Outputs int
	Steps   int

	Recurrent     bool
	DiffReset     bool
	RecurrentGrad bool // true: gradient propagates through the recurrent connections

	SumReadout bool

	Surrogate string // "superspike", "asymptotic", "sigmoid", "esser", "exact"
	Beta      float64

	BetaSyn, BetaMem, BetaOut float64

	// Euler, when set, has an entry per hidden layer and a last one for
	// the readout: true steps that layer by the explicit Euler rule (see
	// refEulerForward) instead of the paper's.
	Euler []bool

	LambdaLower, NuLower, LambdaUpper, NuUpper float64
	UpperExp                                   int
}

// refWeights holds row-major [fanIn*fanOut] matrices: W[l][i*fanOut+j] connects unit i
// of layer l's input to unit j. W has len(Hidden)+1 entries, the last being the
// readout; V has len(Hidden) [H*H] recurrent matrices and is ignored unless
// cfg.Recurrent.
type refWeights struct {
	W [][]float64
	V [][]float64
}

// refResult is the batch-mean loss and its gradients. Counts[l][b][i] is the number of
// spikes hidden neuron i of layer l emitted in trial b. GradV is nil when the network
// is not recurrent.
type refResult struct {
	Loss   float64
	Logits [][]float64
	Counts [][][]float64
	GradW  [][]float64
	GradV  [][]float64
}

// refHooks lets the self-tests swap the non-differentiable parts of the model for
// smooth or frozen stand-ins, which makes finite differences of the loss a valid check
// of the BPTT code. refRun uses the real Heaviside and the configured surrogate.
type refHooks struct {
	spike      func(x float64) float64 // forward: S = spike(U-1)
	spikeDeriv func(x float64) float64 // backward: used as dS/dU

	// frozen[l][b][n][i], when set, replaces S in the reset factor (freezeReset) and/or
	// in the recurrent input (freezeRec), turning those terms into constants.
	frozen      [][][][]float64
	freezeReset bool
	freezeRec   bool
}

// refTrace is one trial's state of a hidden layer: I and U have T+1 rows, S has T.
type refTrace struct {
	I, U, S [][]float64
}

// refRun computes the loss and its gradients for a batch. inputs[b][n*cfg.Inputs+i]
// is the (possibly analog) input of unit i at step n in trial b.
func refRun(cfg refConfig, w refWeights, inputs [][]float64, labels []int) refResult {
	res, _ := refRunWith(cfg, w, inputs, labels, refHooks{
		spike:      refHeaviside,
		spikeDeriv: func(x float64) float64 { return refSurrogate(cfg.Surrogate, cfg.Beta, x) },
	})
	return res
}

// refSurrogate returns h(x), the stand-in for dS/dU, at x = U-1.
func refSurrogate(name string, beta, x float64) float64 {
	ax := math.Abs(x)
	switch name {
	case "superspike":
		d := beta*ax + 1
		return 1 / (d * d)
	case "asymptotic":
		d := beta*ax + 1
		return beta / (d * d)
	case "sigmoid":
		// s(1-s) = e/(1+e)^2 with e = exp(-beta|x|): symmetric, and e never overflows.
		e := math.Exp(-beta * ax)
		return e / ((1 + e) * (1 + e))
	case "esser":
		return math.Max(0, 1-beta*ax)
	case "exact":
		return 0
	}
	panic(fmt.Sprintf("refSurrogate: unknown surrogate %q", name))
}

// refHeaviside is the spike nonlinearity; H(0) = 1 so that U = 1 exactly spikes.
func refHeaviside(x float64) float64 {
	if x >= 0 {
		return 1
	}
	return 0
}

// refRunWith is refRun with explicit hooks. It also returns the hidden spike trains
// [layer][batch][n][unit] so that a test can feed them back as hk.frozen.
func refRunWith(cfg refConfig, w refWeights, inputs [][]float64, labels []int, hk refHooks) (refResult, [][][][]float64) {
	refCheck(cfg, w, inputs, labels)
	L, B := len(cfg.Hidden), len(inputs)
	res := refResult{
		Logits: make([][]float64, B),
		Counts: make([][][]float64, L),
		GradW:  refZerosLike(w.W),
	}
	if cfg.Recurrent {
		res.GradV = refZerosLike(w.V)
	}
	spikes := make([][][][]float64, L)
	for l := range L {
		res.Counts[l] = make([][]float64, B)
		spikes[l] = make([][][]float64, B)
	}
	for b := range B {
		x := refRaster(inputs[b], cfg.Steps, cfg.Inputs)
		traces := refSample(cfg, w, x, labels[b], hk, b, 1/float64(B), &res)
		for l, tr := range traces {
			spikes[l][b] = tr.S
		}
	}
	return res, spikes
}

// refSample runs trial b forward and backward, adding its share (scale = 1/batch) of
// the loss and the gradients to res, and returns its hidden-layer traces.
func refSample(cfg refConfig, w refWeights, x [][]float64, label int, hk refHooks, b int, scale float64, res *refResult) []refTrace {
	L := len(cfg.Hidden)
	traces := make([]refTrace, L)
	layerIn := make([][][]float64, L+1) // layerIn[l] is layer l's input raster
	layerIn[0] = x
	for l := range L {
		forward := refHiddenForward
		if cfg.euler(l) {
			forward = refEulerForward
		}
		traces[l] = forward(cfg, w.W[l], refRec(cfg, w.V, l), layerIn[l], hk, refFrozen(hk, l, b))
		layerIn[l+1] = traces[l].S
	}

	readoutForward, readoutBackward := refReadoutForward, refReadoutBackward
	if cfg.euler(L) {
		readoutForward, readoutBackward = refEulerReadoutForward, refEulerReadoutBackward
	}
	uo := readoutForward(cfg, w.W[L], layerIn[L])
	z, at := refLogits(uo, cfg.SumReadout)
	loss, dz := refCrossEntropy(z, label)
	res.Logits[b] = z
	res.Loss += scale * loss

	gS := readoutBackward(cfg, w.W[L], layerIn[L], refLogitsBackward(cfg.Steps, dz, at, cfg.SumReadout, scale), res.GradW[L])
	for l := L - 1; l >= 0; l-- {
		counts := refCounts(traces[l].S)
		res.Counts[l][b] = counts
		reg, gCount := refRegulariser(cfg, counts)
		res.Loss += scale * reg
		// Each spike count is a plain sum over time, so its gradient reaches every S[n].
		for n := range gS {
			for i := range gS[n] {
				gS[n][i] += scale * gCount[i]
			}
		}
		backward := refHiddenBackward
		if cfg.euler(l) {
			backward = refEulerBackward
		}
		gS = backward(cfg, w.W[l], refRec(cfg, w.V, l), refRec(cfg, res.GradV, l),
			layerIn[l], traces[l], gS, hk, refFrozen(hk, l, b), res.GradW[l])
	}
	return traces
}

// refHiddenForward runs one hidden LIF layer over the input raster in ([T][fanIn]).
// V is nil for a feed-forward layer; frozen is nil unless a hook freezes something.
func refHiddenForward(cfg refConfig, W, V []float64, in [][]float64, hk refHooks, frozen [][]float64) refTrace {
	T, H := cfg.Steps, len(W)/len(in[0])
	tr := refTrace{I: refMat(T+1, H), U: refMat(T+1, H), S: refMat(T, H)}
	for n := range T {
		for i := range H {
			tr.S[n][i] = hk.spike(tr.U[n][i] - 1)
		}
		reset, rec := refEffective(hk, tr.S[n], frozen, n)
		for i := range H {
			tr.I[n+1][i] = cfg.BetaSyn * tr.I[n][i]
		}
		refAddVecMat(tr.I[n+1], in[n], W)
		if V != nil {
			refAddVecMat(tr.I[n+1], rec, V)
		}
		for i := range H {
			a := cfg.BetaMem*tr.U[n][i] + (1-cfg.BetaMem)*tr.I[n][i]
			tr.U[n+1][i] = a * (1 - reset[i])
		}
	}
	return tr
}

// refHiddenBackward takes gS[n][i] = dL/dS[n][i] from everything above this layer
// (it is modified in place), accumulates dL/dW and dL/dV, and returns dL/d(in).
func refHiddenBackward(cfg refConfig, W, V, gV []float64, in [][]float64, tr refTrace, gS [][]float64, hk refHooks, frozen [][]float64, gW []float64) [][]float64 {
	T, H := cfg.Steps, len(tr.S[0])
	gIn := refMat(T, len(in[0]))
	gI := make([]float64, H) // dL/dI[n+1]; nothing reads I[T]
	gU := make([]float64, H) // dL/dU[n+1]; nothing reads U[T]
	for n := T - 1; n >= 0; n-- {
		reset, rec := refEffective(hk, tr.S[n], frozen, n)
		// Gradients into S[n] from step n+1; a frozen copy is a constant and gets none.
		if cfg.DiffReset && !hk.freezeReset {
			for i := range H {
				a := cfg.BetaMem*tr.U[n][i] + (1-cfg.BetaMem)*tr.I[n][i]
				gS[n][i] -= a * gU[i]
			}
		}
		if V != nil {
			refAddOuter(gV, rec, gI)
			if cfg.RecurrentGrad && !hk.freezeRec {
				refAddMatVecT(gS[n], gI, V)
			}
		}
		refAddOuter(gW, in[n], gI)
		refAddMatVecT(gIn[n], gI, W)

		// Step the adjoints back from n+1 to n.
		for i := range H {
			keep := 1 - reset[i]
			gUn := cfg.BetaMem*keep*gU[i] + gS[n][i]*hk.spikeDeriv(tr.U[n][i]-1)
			gI[i] = cfg.BetaSyn*gI[i] + (1-cfg.BetaMem)*keep*gU[i]
			gU[i] = gUn
		}
	}
	return gIn
}

// refEffective returns the spike vectors the reset factor and the recurrent input
// actually see at step n: S[n] itself, or the frozen copy when a hook says so.
func refEffective(hk refHooks, s []float64, frozen [][]float64, n int) (reset, rec []float64) {
	reset, rec = s, s
	if hk.freezeReset {
		reset = frozen[n]
	}
	if hk.freezeRec {
		rec = frozen[n]
	}
	return reset, rec
}

// refReadoutForward returns the readout membrane U_o[0..T] ([T+1][Outputs]).
func refReadoutForward(cfg refConfig, W []float64, in [][]float64) [][]float64 {
	T, K := cfg.Steps, cfg.Outputs
	I, U := refMat(T+1, K), refMat(T+1, K)
	for n := range T {
		for k := range K {
			I[n+1][k] = cfg.BetaSyn * I[n][k]
			U[n+1][k] = cfg.BetaOut*U[n][k] + (1-cfg.BetaOut)*I[n][k]
		}
		refAddVecMat(I[n+1], in[n], W)
	}
	return U
}

// refReadoutBackward takes gU[n][k] = the direct dL/dU_o[n][k] (from the logits),
// accumulates dL/dW_o and returns dL/d(in).
func refReadoutBackward(cfg refConfig, W []float64, in [][]float64, gU [][]float64, gW []float64) [][]float64 {
	T, K := cfg.Steps, cfg.Outputs
	gIn := refMat(T, len(in[0]))
	gI := make([]float64, K)                // dL/dI_o[n+1]
	gUn := append([]float64(nil), gU[T]...) // dL/dU_o[n+1]
	for n := T - 1; n >= 0; n-- {
		refAddOuter(gW, in[n], gI)
		refAddMatVecT(gIn[n], gI, W)
		for k := range K {
			gI[k] = cfg.BetaSyn*gI[k] + (1-cfg.BetaOut)*gUn[k]
			gUn[k] = cfg.BetaOut*gUn[k] + gU[n][k]
		}
	}
	return gIn
}

// refLogits reduces U_o[1..T] over time. For the max readout it also returns, per
// output, the earliest step attaining the maximum: that step alone gets the gradient.
func refLogits(u [][]float64, sum bool) (z []float64, at []int) {
	K := len(u[0])
	z, at = make([]float64, K), make([]int, K)
	for k := range K {
		z[k], at[k] = u[1][k], 1
		for n := 2; n < len(u); n++ {
			switch {
			case sum:
				z[k] += u[n][k]
			case u[n][k] > z[k]: // strict: a later tie does not move the argmax
				z[k], at[k] = u[n][k], n
			}
		}
	}
	return z, at
}

// refLogitsBackward spreads scale*dz onto U_o[0..T] the way refLogits read it: every
// step 1..T for the sum readout, only the recorded argmax for the max readout.
func refLogitsBackward(T int, dz []float64, at []int, sum bool, scale float64) [][]float64 {
	g := refMat(T+1, len(dz))
	for k, d := range dz {
		if !sum {
			g[at[k]][k] = scale * d
			continue
		}
		for n := 1; n <= T; n++ {
			g[n][k] = scale * d
		}
	}
	return g
}

// refCrossEntropy returns -log softmax(z)[label] via a shifted log-sum-exp, and its
// gradient softmax(z) - onehot(label).
func refCrossEntropy(z []float64, label int) (float64, []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	sum := 0.0
	for _, v := range z {
		sum += math.Exp(v - m)
	}
	lse := m + math.Log(sum)
	g := make([]float64, len(z))
	for k, v := range z {
		g[k] = math.Exp(v - lse)
	}
	g[label]--
	return lse - z[label], g
}

// refRegulariser returns the activity penalty of one layer in one trial and its
// gradient with respect to each neuron's spike count.
func refRegulariser(cfg refConfig, counts []float64) (float64, []float64) {
	M := float64(len(counts))
	g := make([]float64, len(counts))
	loss, mean := 0.0, 0.0
	for i, zeta := range counts {
		mean += zeta / M
		if d := cfg.NuLower - zeta; cfg.LambdaLower != 0 && d > 0 {
			loss += cfg.LambdaLower / M * d * d
			g[i] -= 2 * cfg.LambdaLower / M * d
		}
	}
	if d := mean - cfg.NuUpper; cfg.LambdaUpper != 0 && d > 0 {
		p := float64(cfg.UpperExp)
		loss += cfg.LambdaUpper * math.Pow(d, p)
		gi := cfg.LambdaUpper * p * math.Pow(d, p-1) / M
		for i := range g {
			g[i] += gi
		}
	}
	return loss, g
}

// refCounts sums a spike raster over time.
func refCounts(s [][]float64) []float64 {
	c := make([]float64, len(s[0]))
	for _, row := range s {
		for i, v := range row {
			c[i] += v
		}
	}
	return c
}

// refCheck panics on inputs that do not fit the configuration, so that a mistake in
// a calling test cannot silently produce a plausible-looking reference.
func refCheck(cfg refConfig, w refWeights, inputs [][]float64, labels []int) {
	fail := func(format string, args ...any) { panic("refRun: " + fmt.Sprintf(format, args...)) }
	if cfg.Inputs < 1 || cfg.Outputs < 1 || cfg.Steps < 1 {
		fail("need Inputs, Outputs, Steps >= 1, got %d, %d, %d", cfg.Inputs, cfg.Outputs, cfg.Steps)
	}
	refSurrogate(cfg.Surrogate, cfg.Beta, 0)
	if cfg.LambdaUpper != 0 && cfg.UpperExp < 1 {
		fail("UpperExp must be >= 1 when LambdaUpper != 0, got %d", cfg.UpperExp)
	}
	if len(cfg.Euler) != 0 && len(cfg.Euler) != len(cfg.Hidden)+1 {
		fail("Euler: want 0 or %d entries, got %d", len(cfg.Hidden)+1, len(cfg.Euler))
	}
	if len(w.W) != len(cfg.Hidden)+1 {
		fail("want %d weight matrices, got %d", len(cfg.Hidden)+1, len(w.W))
	}
	fanIn := cfg.Inputs
	for l, fanOut := range append(append([]int(nil), cfg.Hidden...), cfg.Outputs) {
		if fanOut < 1 || len(w.W[l]) != fanIn*fanOut {
			fail("W[%d]: want %d*%d entries, got %d", l, fanIn, fanOut, len(w.W[l]))
		}
		fanIn = fanOut
	}
	if cfg.Recurrent {
		if len(w.V) != len(cfg.Hidden) {
			fail("want %d recurrent matrices, got %d", len(cfg.Hidden), len(w.V))
		}
		for l, H := range cfg.Hidden {
			if len(w.V[l]) != H*H {
				fail("V[%d]: want %d entries, got %d", l, H*H, len(w.V[l]))
			}
		}
	}
	if len(inputs) == 0 || len(labels) != len(inputs) {
		fail("need a non-empty batch with one label per trial, got %d inputs, %d labels", len(inputs), len(labels))
	}
	for b := range inputs {
		if len(inputs[b]) != cfg.Steps*cfg.Inputs {
			fail("inputs[%d]: want %d values, got %d", b, cfg.Steps*cfg.Inputs, len(inputs[b]))
		}
		if labels[b] < 0 || labels[b] >= cfg.Outputs {
			fail("labels[%d] = %d out of range", b, labels[b])
		}
	}
}

// refRec returns layer l's recurrent matrix (or its gradient), nil if not recurrent.
func refRec(cfg refConfig, v [][]float64, l int) []float64 {
	if !cfg.Recurrent {
		return nil
	}
	return v[l]
}

// refFrozen returns the frozen spike raster of layer l, trial b, if any.
func refFrozen(hk refHooks, l, b int) [][]float64 {
	if hk.frozen == nil {
		return nil
	}
	return hk.frozen[l][b]
}

// refRaster views a flat row-major [T*units] input as [T][units].
func refRaster(flat []float64, T, units int) [][]float64 {
	r := make([][]float64, T)
	for n := range T {
		r[n] = flat[n*units : (n+1)*units]
	}
	return r
}

func refMat(rows, cols int) [][]float64 {
	m := make([][]float64, rows)
	for r := range m {
		m[r] = make([]float64, cols)
	}
	return m
}

func refZerosLike(ms [][]float64) [][]float64 {
	z := make([][]float64, len(ms))
	for i, m := range ms {
		z[i] = make([]float64, len(m))
	}
	return z
}

// refAddVecMat does dst += x·M for a row-major [len(x)][len(dst)] matrix M.
func refAddVecMat(dst, x, M []float64) {
	fanOut := len(dst)
	for i, xi := range x {
		for j := range fanOut {
			dst[j] += xi * M[i*fanOut+j]
		}
	}
}

// refAddMatVecT does dst += M·g, i.e. pulls a gradient g on x·M back onto x.
func refAddMatVecT(dst, g, M []float64) {
	fanOut := len(g)
	for i := range dst {
		for j, gj := range g {
			dst[i] += M[i*fanOut+j] * gj
		}
	}
}

// refAddOuter does gM += xᵀg, the weight gradient of x·M given a gradient g on it.
func refAddOuter(gM, x, g []float64) {
	fanOut := len(g)
	for i, xi := range x {
		for j, gj := range g {
			gM[i*fanOut+j] += xi * gj
		}
	}
}

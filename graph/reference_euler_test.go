package graph_test

// The explicit-Euler discretisation in the plain-Go reference (see
// reference_test.go for the conventions it shares). A layer stepped by it
// sees the input of step n in the same step:
//
//	I[n] = bsyn*I[n-1] + S_in[n]·W (+ S[n-1]·V)
//	U[n] = bmem*U[n-1]*(1 - S[n-1]) + (1-bmem)*I[n]
//	S[n] = H(U[n]-1)
//
// with everything zero before n = 0; the readout is the same without spike
// or reset and its logits reduce U_o[0..T-1]. Traces keep the state of
// step n in row n+1 and zeros in row 0, so that row k of the readout is
// read by refLogits as in the paper's layout.

// euler reports whether layer l (len(Hidden) for the readout) is stepped by
// the explicit Euler rule.
func (c refConfig) euler(l int) bool { return len(c.Euler) > 0 && c.Euler[l] }

// refEulerForward runs one Euler hidden layer over the input raster.
func refEulerForward(cfg refConfig, W, V []float64, in [][]float64, hk refHooks, frozen [][]float64) refTrace {
	T, H := cfg.Steps, len(W)/len(in[0])
	tr := refTrace{I: refMat(T+1, H), U: refMat(T+1, H), S: refMat(T, H)}
	zero := make([]float64, H)
	for n := range T {
		reset, rec := zero, zero // S[n-1] as the reset and the recurrence see it
		if n > 0 {
			reset, rec = refEffective(hk, tr.S[n-1], frozen, n-1)
		}
		for i := range H {
			tr.I[n+1][i] = cfg.BetaSyn * tr.I[n][i]
		}
		refAddVecMat(tr.I[n+1], in[n], W)
		if V != nil {
			refAddVecMat(tr.I[n+1], rec, V)
		}
		for i := range H {
			tr.U[n+1][i] = cfg.BetaMem*tr.U[n][i]*(1-reset[i]) + (1-cfg.BetaMem)*tr.I[n+1][i]
			tr.S[n][i] = hk.spike(tr.U[n+1][i] - 1)
		}
	}
	return tr
}

// refEulerBackward is refHiddenBackward for an Euler layer. Walking n down,
// gI and gU hold dL/dI and dL/dU of step n+1 (rows n+2), complete on entry
// because only step n+1 reads the state of step n.
func refEulerBackward(cfg refConfig, W, V, gV []float64, in [][]float64, tr refTrace, gS [][]float64, hk refHooks, frozen [][]float64, gW []float64) [][]float64 {
	T, H := cfg.Steps, len(tr.S[0])
	gIn := refMat(T, len(in[0]))
	gI := make([]float64, H)
	gU := make([]float64, H)
	for n := T - 1; n >= 0; n-- {
		reset, rec := refEffective(hk, tr.S[n], frozen, n)
		// S[n] is read at step n+1 by the reset and the recurrence.
		if cfg.DiffReset && !hk.freezeReset {
			for i := range H {
				gS[n][i] -= cfg.BetaMem * tr.U[n+1][i] * gU[i]
			}
		}
		if V != nil {
			refAddOuter(gV, rec, gI)
			if cfg.RecurrentGrad && !hk.freezeRec {
				refAddMatVecT(gS[n], gI, V)
			}
		}
		for i := range H {
			gUn := cfg.BetaMem*(1-reset[i])*gU[i] + gS[n][i]*hk.spikeDeriv(tr.U[n+1][i]-1)
			gI[i] = cfg.BetaSyn*gI[i] + (1-cfg.BetaMem)*gUn
			gU[i] = gUn
		}
		refAddOuter(gW, in[n], gI)
		refAddMatVecT(gIn[n], gI, W)
	}
	return gIn
}

// refEulerReadoutForward returns the Euler readout's membrane, U_o of step n
// in row n+1 and zeros in row 0 ([T+1][Outputs]).
func refEulerReadoutForward(cfg refConfig, W []float64, in [][]float64) [][]float64 {
	T, K := cfg.Steps, cfg.Outputs
	I, U := refMat(T+1, K), refMat(T+1, K)
	for n := range T {
		for k := range K {
			I[n+1][k] = cfg.BetaSyn * I[n][k]
		}
		refAddVecMat(I[n+1], in[n], W)
		for k := range K {
			U[n+1][k] = cfg.BetaOut*U[n][k] + (1-cfg.BetaOut)*I[n+1][k]
		}
	}
	return U
}

// refEulerReadoutBackward takes the direct dL/dU_o by row, accumulates
// dL/dW_o and returns dL/d(in).
func refEulerReadoutBackward(cfg refConfig, W []float64, in [][]float64, gU [][]float64, gW []float64) [][]float64 {
	T, K := cfg.Steps, cfg.Outputs
	gIn := refMat(T, len(in[0]))
	gI := make([]float64, K) // dL/dI_o, row n+1
	gUn := make([]float64, K)
	for n := T - 1; n >= 0; n-- {
		for k := range K {
			gUn[k] = cfg.BetaOut*gUn[k] + gU[n+1][k]
			gI[k] = cfg.BetaSyn*gI[k] + (1-cfg.BetaOut)*gUn[k]
		}
		refAddOuter(gW, in[n], gI)
		refAddMatVecT(gIn[n], gI, W)
	}
	return gIn
}

package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The kernels of a LIF layer whose neurons each have their own decays
// (lif.NewNeuronCell): the decays are vectors over the columns (the
// neurons) of [rows, cols] matrices, and the current is carried unscaled,
//
//	U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − R[n])
//	I[n+1] = β_syn·I[n] + x[n]·W + Q[n]·V,
//
// so that the decays' gradients need no projection of the inputs. As the
// adaptive kernels, they run package simd's loops (simdRows) in float32
// where the operands are all there, and Go loops, row by row, elsewhere.

// MembraneDecay writes (β·u + (1 − β)·i)·(1 − r), β per column; nil u, i
// or r are zero. out may be u, i or r itself.
func MembraneDecay[T Float](w *parallel.Workers, out, beta, u, i, r []T) {
	l := simdRows[T]()
	cols := len(beta)
	w.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		if k0, k1 := lo*cols, hi*cols; l != nil && u != nil && i != nil {
			if r != nil {
				l.membraneDecay(out[k0:k1], beta, u[k0:k1], i[k0:k1], r[k0:k1])
			} else {
				l.integrateDecay(out[k0:k1], beta, u[k0:k1], i[k0:k1])
			}
			return
		}
		for b := lo; b < hi; b++ {
			k0 := b * cols
			membraneDecayRow(out[k0:k0+cols], beta, sub(u, k0, k0+cols), sub(i, k0, k0+cols), sub(r, k0, k0+cols))
		}
	})
}

// membraneDecayRow is MembraneDecay of one row, in Go.
func membraneDecayRow[T Float](out, beta, u, i, r []T) {
	beta = beta[:len(out)]
	switch {
	case u != nil && i != nil && r != nil:
		u, i, r = u[:len(out)], i[:len(out)], r[:len(out)]
		for j, b := range beta {
			out[j] = (b*u[j] + (1-b)*i[j]) * (1 - r[j])
		}
		return
	case u != nil && i != nil:
		u, i = u[:len(out)], i[:len(out)]
		for j, b := range beta {
			out[j] = b*u[j] + (1-b)*i[j]
		}
		return
	}
	// One pass, element by element: out may be r itself.
	for j, b := range beta {
		var v T
		switch {
		case u != nil:
			v = b * u[j]
		case i != nil:
			v = (1 - b) * i[j]
		}
		if r != nil {
			v *= 1 - r[j]
		}
		out[j] = v
	}
}

// SynapseDecay writes β·c + x·W + r·V for [rows, ·] row blocks, β per
// column; nil c, x or r are zero. xi and ri, when not nil, index x and r
// (which are then not read). out may be c itself.
func SynapseDecay[T Float](wk *parallel.Workers, out []T, rows int, beta, c, x []T, xi *CSR[T], w, r []T, ri *CSR[T], v []T) {
	addScaled := addScaledFor[T]()
	l := simdRows[T]()
	cols := len(out) / rows
	wk.For(rows, len(out)*2, func(lo, hi int) {
		o := out[lo*cols : hi*cols]
		switch {
		case c == nil:
			clear(o)
		case l != nil:
			l.mul(o, beta, c[lo*cols:hi*cols])
		default:
			for k0 := 0; k0 < len(o); k0 += cols {
				ob, cb := o[k0:k0+cols], c[lo*cols+k0:lo*cols+k0+cols]
				for j, b := range beta {
					ob[j] = b * cb[j]
				}
			}
		}
		gatherIndexed(o, 1, x, xi, w, lo, hi, cols, addScaled)
		gatherIndexed(o, 1, r, ri, v, lo, hi, cols, addScaled)
	})
}

// LIFGradUDecay writes dU[n] = h(u − θ)·g + β·(1 − r)·d, β per column,
// with g = dS[n] and d = dU[n+1]; r may be nil (zero). out may be d
// itself.
func LIFGradUDecay[T Float](w *parallel.Workers, out []T, s surrogate.Surrogate, u, g, beta, d, r []T) {
	cols := len(beta)
	w.For(len(out)/cols, len(out)*costly, func(lo, hi int) {
		h := make([]T, cols) // h·g of a row, before out (which may be d) is written
		for b := lo; b < hi; b++ {
			k0, k1 := b*cols, (b+1)*cols
			lifGradUDecayRow(out[k0:k1], h, s, u[k0:k1], g[k0:k1], beta, d[k0:k1], sub(r, k0, k1))
		}
	})
}

// lifGradUDecayRow is LIFGradUDecay of one row; h is scratch space.
func lifGradUDecayRow[T Float](out, h []T, s surrogate.Surrogate, u, g, beta, d, r []T) {
	surrogateGrad(h, s, u, g)
	if l := simdRows[T](); l != nil && r != nil {
		l.addDecayed(out, h, beta, d, r)
		return
	}
	d = d[:len(h)]
	if r == nil {
		for j, hv := range h {
			out[j] = hv + beta[j]*d[j]
		}
		return
	}
	r = r[:len(h)]
	for j, hv := range h {
		out[j] = hv + beta[j]*(1-r[j])*d[j]
	}
}

// LIFGradUProjDecay is LIFGradUDecay with dS = gain·g·Wᵀ computed one
// row at a time and never stored, as LIFGradUProj: g is [rows, cols], W
// [fanIn, cols], the rest [rows, fanIn], β [fanIn]. out may be d itself.
func LIFGradUProjDecay[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, r, g, w, d []T, cols int, beta []T, gain T) {
	wt, _, stride := projT(w, cols, gain)
	LIFGradUProjDecayT(wk, out, s, u, r, g, wt, stride, d, cols, beta)
}

// LIFGradUProjDecayT is LIFGradUProjDecay from gain·Wᵀ, [cols, stride]
// with stride ≥ fanIn (see ProjT), which a readout's gradient carries for
// every step's.
func LIFGradUProjDecayT[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, r, g, wt []T, stride int, d []T, cols int, beta []T) {
	addScaled := addScaledFor[T]()
	fanIn := len(beta)
	rows := len(u) / fanIn
	wk.For(rows, rows*fanIn*(cols+costly), func(lo, hi int) {
		ds, h := make([]T, stride), make([]T, fanIn)
		ks, cs := make([]int32, cols), make([]T, cols)
		for b := lo; b < hi; b++ {
			k0, k1 := b*fanIn, (b+1)*fanIn
			backProjRow(ds, g[b*cols:(b+1)*cols], wt[:cols*stride], ks, cs, addScaled)
			lifGradUDecayRow(out[k0:k1], h, s, u[k0:k1], ds[:fanIn], beta, d[k0:k1], sub(r, k0, k1))
		}
	})
}

// LIFGradIDecay writes dI[n] = (1 − β_mem)·(1 − r)·d + β_syn·e, the
// decays per column, with d = dU[n+1] and e = dI[n+1]; e and r may be nil
// (zero). out may be d itself.
func LIFGradIDecay[T Float](w *parallel.Workers, out, d, betaMem, betaSyn, e, r []T) {
	l := simdRows[T]()
	cols := len(betaMem)
	w.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		if k0, k1 := lo*cols, hi*cols; l != nil && r != nil && e != nil {
			l.lifGradIDecay(out[k0:k1], d[k0:k1], betaMem, betaSyn, e[k0:k1], r[k0:k1])
			return
		}
		for b := lo; b < hi; b++ {
			k0 := b * cols
			o, db := out[k0:k0+cols], d[k0:k0+cols]
			switch {
			case r != nil && e != nil:
				rb, eb := r[k0:k0+cols], e[k0:k0+cols]
				for j, bm := range betaMem {
					o[j] = (1-bm)*db[j]*(1-rb[j]) + betaSyn[j]*eb[j]
				}
			case r != nil:
				rb := r[k0 : k0+cols]
				for j, bm := range betaMem {
					o[j] = (1 - bm) * db[j] * (1 - rb[j])
				}
			case e != nil:
				eb := e[k0 : k0+cols]
				for j, bm := range betaMem {
					o[j] = (1-bm)*db[j] + betaSyn[j]*eb[j]
				}
			default:
				for j, bm := range betaMem {
					o[j] = (1 - bm) * db[j]
				}
			}
		}
	})
}

// ResetGradDecay writes −(β·u + (1 − β)·i)·g, β per column: the gradient
// of a differentiable reset; nil u or i are zero.
func ResetGradDecay[T Float](w *parallel.Workers, out, beta, u, i, g []T) {
	MembraneDecay(w, out, beta, u, i, nil)
	for k := range out {
		out[k] = -out[k] * g[k]
	}
}

// DecayStep is what one step contributes to the decays' gradients: U[n],
// I[n], R[n], dU[n+1] and dI[n+1], [rows, cols] each, nil for zero.
type DecayStep[T Float] struct{ U, I, R, DU, DI []T }

// DecayGrads writes the gradients of β_mem and β_syn, cols each, into mem
// and syn:
//
//	dβ_mem = Σ_n Σ_b dU[n+1]·(1 − R[n])·(U[n] − I[n])
//	dβ_syn = Σ_n Σ_b dI[n+1]·I[n]
//
// summed in the order of steps, then rows: the threads split the
// columns, so the result does not depend on their number.
func DecayGrads[T Float](w *parallel.Workers, mem, syn []T, steps []DecayStep[T]) {
	cols := len(mem)
	clear(mem)
	clear(syn)
	l := simdRows[T]()
	w.For(cols, cols*len(steps)*cheap*8, func(lo, hi int) {
		m, s := mem[lo:hi], syn[lo:hi]
		for _, st := range steps {
			if l != nil && st.U != nil && st.I != nil && st.R != nil {
				forColumnSpans(len(st.DU), cols, lo, hi, func(k0, k1 int) {
					l.addDecayGrad(m, st.DU[k0:k1], st.U[k0:k1], st.I[k0:k1], st.R[k0:k1])
					if st.DI != nil {
						l.addProduct(s, st.DI[k0:k1], st.I[k0:k1])
					}
				})
				continue
			}
			rows := len(st.DU) / cols
			for b := 0; b < rows; b++ {
				k0, k1 := b*cols+lo, b*cols+hi
				decayGradsRow(m, s, sub(st.U, k0, k1), sub(st.I, k0, k1), sub(st.R, k0, k1), st.DU[k0:k1], sub(st.DI, k0, k1))
			}
		}
	})
}

// decayGradsRow adds one row's terms to the decays' gradients, a loop
// per case; du is not nil.
func decayGradsRow[T Float](mem, syn, u, i, r, du, di []T) {
	du = du[:len(mem)]
	switch {
	case u != nil && i != nil && r != nil:
		u, i, r = u[:len(du)], i[:len(du)], r[:len(du)]
		for j, g := range du {
			mem[j] += g * (1 - r[j]) * (u[j] - i[j])
		}
	case u != nil || i != nil:
		for j, g := range du {
			if r != nil {
				g *= 1 - r[j]
			}
			var x T
			if u != nil {
				x = u[j]
			}
			if i != nil {
				x -= i[j]
			}
			mem[j] += g * x
		}
	}
	if di != nil && i != nil {
		i = i[:len(syn)]
		for j, g := range di[:len(syn)] {
			syn[j] += g * i[j]
		}
	}
}

// ReadoutGradDecay runs the backward pass of a leaky readout with
// per-neuron decays (lif.ReadoutMaxDecays),
//
//	P[n] = β_out·P[n−1] + (1 − β_out)·C[n−1]
//	C[m] = β_syn·C[m−1] + x[m]·W,
//
// from the potentials' gradients dp[n], n = 0 … T−1: it writes dc[m], the
// gradient of C[m] (m = 0 … T−2; zero below live−1), and the decays'
// gradients Σ_n Σ_b dP[n]·(P[n−1] − C[n−1]) and Σ_m Σ_b dC[m]·C[m−1],
// summed latest step first, then by rows. P[n] and C[m] are zero before
// step live and live−1. du is scratch space of two blocks.
func ReadoutGradDecay[T Float](dc [][]T, dBetaOut, dBetaSyn []T, du [2][]T, dp, p, c [][]T, live int, betaOut, betaSyn []T) {
	cols := len(betaOut)
	steps := len(dp)
	clear(dBetaOut)
	clear(dBetaSyn)
	for m := 0; m < live-1; m++ {
		clear(dc[m])
	}
	var d []T // dP[n] with what P[n+1] passes back
	for n := steps - 1; n >= live; n-- {
		next := du[n%2]
		if d == nil {
			copy(next, dp[n])
		} else {
			for k0 := 0; k0 < len(next); k0 += cols {
				nb, pb, db := next[k0:k0+cols], dp[n][k0:k0+cols], d[k0:k0+cols]
				for j, b := range betaOut {
					nb[j] = pb[j] + b*db[j]
				}
			}
		}
		d = next
		m := n - 1 // C[m] feeds P[n] and C[m+1]
		for k0 := 0; k0 < len(d); k0 += cols {
			db, pm, cm, dcm := d[k0:k0+cols], p[m][k0:k0+cols], c[m][k0:k0+cols], dc[m][k0:k0+cols]
			for j, v := range db {
				dBetaOut[j] += v * (pm[j] - cm[j])
			}
			if m < steps-2 {
				dcn := dc[m+1][k0 : k0+cols]
				for j, v := range db {
					dcm[j] = (1-betaOut[j])*v + betaSyn[j]*dcn[j]
				}
			} else {
				for j, v := range db {
					dcm[j] = (1 - betaOut[j]) * v
				}
			}
			if m >= 1 {
				cp := c[m-1][k0 : k0+cols]
				for j, v := range dcm {
					dBetaSyn[j] += v * cp[j]
				}
			}
		}
	}
}

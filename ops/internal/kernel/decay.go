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
// so that the decays' gradients need no projection of the inputs. They
// are plain Go: the layers that use them are not the paper's, and the
// interpreter, not these loops, dominates their step.

// MembraneDecay writes (β·u + (1 − β)·i)·(1 − r), β per column; nil u, i
// or r are zero. out may be u, i or r itself.
func MembraneDecay[T Float](w *parallel.Workers, out, beta, u, i, r []T) {
	cols := len(beta)
	w.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		for k := lo * cols; k < hi*cols; k++ {
			b := beta[k%cols]
			var v T
			if u != nil {
				v = b * u[k]
			}
			if i != nil {
				v += (1 - b) * i[k]
			}
			if r != nil {
				v *= 1 - r[k]
			}
			out[k] = v
		}
	})
}

// SynapseDecay writes β·c + x·W + r·V for [rows, ·] row blocks, β per
// column; nil c, x or r are zero. xi and ri, when not nil, index x and r
// (which are then not read). out may be c itself.
func SynapseDecay[T Float](wk *parallel.Workers, out []T, rows int, beta, c, x []T, xi *CSR[T], w, r []T, ri *CSR[T], v []T) {
	addScaled := addScaledFor[T]()
	cols := len(out) / rows
	wk.For(rows, len(out)*2, func(lo, hi int) {
		o := out[lo*cols : hi*cols]
		if c == nil {
			clear(o)
		} else {
			cb := c[lo*cols : hi*cols]
			for k := range o {
				o[k] = beta[k%cols] * cb[k]
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
			k0 := b * cols
			surrogateGrad(h, s, u[k0:k0+cols], g[k0:k0+cols])
			for j, hv := range h {
				m := beta[j]
				if r != nil {
					m *= 1 - r[k0+j]
				}
				out[k0+j] = hv + m*d[k0+j]
			}
		}
	})
}

// LIFGradIDecay writes dI[n] = (1 − β_mem)·(1 − r)·d + β_syn·e, the
// decays per column, with d = dU[n+1] and e = dI[n+1]; e and r may be nil
// (zero). out may be d itself.
func LIFGradIDecay[T Float](w *parallel.Workers, out, d, betaMem, betaSyn, e, r []T) {
	cols := len(betaMem)
	w.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		for k := lo * cols; k < hi*cols; k++ {
			j := k % cols
			v := (1 - betaMem[j]) * d[k]
			if r != nil {
				v *= 1 - r[k]
			}
			if e != nil {
				v += betaSyn[j] * e[k]
			}
			out[k] = v
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
	w.For(cols, cols*len(steps)*cheap*8, func(lo, hi int) {
		for _, st := range steps {
			rows := len(st.DU) / cols
			for b := 0; b < rows; b++ {
				for k := b*cols + lo; k < b*cols+hi; k++ {
					j := k - b*cols
					if st.DU != nil && (st.U != nil || st.I != nil) {
						var x T
						if st.U != nil {
							x = st.U[k]
						}
						if st.I != nil {
							x -= st.I[k]
						}
						g := st.DU[k]
						if st.R != nil {
							g *= 1 - st.R[k]
						}
						mem[j] += g * x
					}
					if st.DI != nil && st.I != nil {
						syn[j] += st.DI[k] * st.I[k]
					}
				}
			}
		}
	})
}

package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The kernels of an adaptive LIF layer (lif.NewAdaptiveCell), with
// per-neuron parameters α, ρ, a, b, vectors over the columns of [rows,
// cols] matrices:
//
//	w[n+1] = ρ·w[n] + a·U[n] + b·S[n]
//	U[n+1] = α·(U[n] − R[n]) + (1 − α)·(x[n] − w[n+1])
//
// Like the per-neuron LIF's, they are plain Go.

// forRows runs f over the rows of [·, cols] matrices of n elements.
func forRows(w *parallel.Workers, n, cols, cost int, f func(k0, k1 int)) {
	w.For(n/cols, n*cost, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			f(b*cols, (b+1)*cols)
		}
	})
}

// at is x[k], 0 for a nil x.
func at[T Float](x []T, k int) T {
	if x == nil {
		return 0
	}
	return x[k]
}

// Adapt writes ρ·w + a·u + b·s; nil w, u or s are zero.
func Adapt[T Float](wk *parallel.Workers, out, rho, a, b, w, u, s []T) {
	cols := len(rho)
	forRows(wk, len(out), cols, cheap, func(k0, k1 int) {
		for k := k0; k < k1; k++ {
			j := k - k0
			out[k] = rho[j]*at(w, k) + a[j]*at(u, k) + b[j]*at(s, k)
		}
	})
}

// AdaptiveMembrane writes α·(u − r) + (1 − α)·(x − w); nil u, r, x or w
// are zero. out may be any of them.
func AdaptiveMembrane[T Float](wk *parallel.Workers, out, alpha, u, r, x, w []T) {
	cols := len(alpha)
	forRows(wk, len(out), cols, cheap, func(k0, k1 int) {
		for k := k0; k < k1; k++ {
			al := alpha[k-k0]
			out[k] = al*(at(u, k)-at(r, k)) + (1-al)*(at(x, k)-at(w, k))
		}
	})
}

// AdaptationGrad writes dw[n+1] = −(1 − α)·g + ρ·e, with g = dU[n+1] and
// e = dw[n+2] (nil: zero).
func AdaptationGrad[T Float](wk *parallel.Workers, out, alpha, rho, g, e []T) {
	cols := len(alpha)
	forRows(wk, len(out), cols, cheap, func(k0, k1 int) {
		for k := k0; k < k1; k++ {
			j := k - k0
			out[k] = -(1-alpha[j])*g[k] + rho[j]*at(e, k)
		}
	})
}

// ScaleColumns writes c·g, c per column, with c = 1 − p for complement
// and −p otherwise.
func ScaleColumns[T Float](wk *parallel.Workers, out, p, g []T, complement bool) {
	cols := len(p)
	forRows(wk, len(out), cols, cheap, func(k0, k1 int) {
		for k := k0; k < k1; k++ {
			if complement {
				out[k] = (1 - p[k-k0]) * g[k]
			} else {
				out[k] = -p[k-k0] * g[k]
			}
		}
	})
}

// AdaptiveGradU writes dU[n] = h(u − θ)·(g + b·e) + α·d + a·e, with
// g = dS[n], d = dU[n+1] and e = dw[n+1] (nil: zero).
func AdaptiveGradU[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, g, alpha, a, b, d, e []T) {
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*costly, func(lo, hi int) {
		ds, h := make([]T, cols), make([]T, cols)
		for r := lo; r < hi; r++ {
			k0 := r * cols
			for j := range ds {
				ds[j] = g[k0+j] + b[j]*at(e, k0+j)
			}
			surrogateGrad(h, s, u[k0:k0+cols], ds)
			for j, hv := range h {
				out[k0+j] = hv + alpha[j]*d[k0+j] + a[j]*at(e, k0+j)
			}
		}
	})
}

// AdaptiveStep is what one step contributes to the parameters' gradients:
// U[n], R[n], x[n], w[n], w[n+1], S[n], dU[n+1] and dw[n+1], nil for zero
// (DU is never nil).
type AdaptiveStep[T Float] struct{ U, R, X, W0, W1, S, DU, DW []T }

// AdaptiveGrads writes the gradients of α, ρ, a and b, cols each:
//
//	dα = Σ_n Σ_b dU[n+1]·(U[n] − R[n] − x[n] + w[n+1])
//	dρ = Σ_n Σ_b dw[n+1]·w[n]
//	da = Σ_n Σ_b dw[n+1]·U[n]
//	db = Σ_n Σ_b dw[n+1]·S[n]
//
// summed in the order of steps, then rows; the threads split the columns.
func AdaptiveGrads[T Float](wk *parallel.Workers, alpha, rho, a, b []T, steps []AdaptiveStep[T]) {
	cols := len(alpha)
	for _, g := range [][]T{alpha, rho, a, b} {
		clear(g)
	}
	wk.For(cols, cols*len(steps)*cheap*16, func(lo, hi int) {
		for _, st := range steps {
			rows := len(st.DU) / cols
			for r := 0; r < rows; r++ {
				for k := r*cols + lo; k < r*cols+hi; k++ {
					j := k - r*cols
					alpha[j] += st.DU[k] * (at(st.U, k) - at(st.R, k) - at(st.X, k) + at(st.W1, k))
					if st.DW != nil {
						rho[j] += st.DW[k] * at(st.W0, k)
						a[j] += st.DW[k] * at(st.U, k)
						b[j] += st.DW[k] * at(st.S, k)
					}
				}
			}
		}
	})
}

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

// diffRow writes x − y into dst; nil x or y are zero.
func diffRow[T Float](dst, x, y []T) {
	switch {
	case x != nil && y != nil:
		x, y = x[:len(dst)], y[:len(dst)]
		for j := range dst {
			dst[j] = x[j] - y[j]
		}
	case x != nil:
		copy(dst, x)
	case y != nil:
		y = y[:len(dst)]
		for j := range dst {
			dst[j] = -y[j]
		}
	default:
		clear(dst)
	}
}

// addProduct adds p·x to dst, p per column; a nil x adds nothing.
func addProduct[T Float](dst, p, x []T) {
	if x == nil {
		return
	}
	p, x = p[:len(dst)], x[:len(dst)]
	for j := range dst {
		dst[j] += p[j] * x[j]
	}
}

// Adapt writes ρ·w + a·u + b·s; nil w, u or s are zero. out may be any
// of them.
func Adapt[T Float](wk *parallel.Workers, out, rho, a, b, w, u, s []T) {
	cols := len(rho)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		row := make([]T, cols)
		for r := lo; r < hi; r++ {
			k0, k1 := r*cols, (r+1)*cols
			clear(row)
			addProduct(row, rho, sub(w, k0, k1))
			addProduct(row, a, sub(u, k0, k1))
			addProduct(row, b, sub(s, k0, k1))
			copy(out[k0:k1], row)
		}
	})
}

// AdaptiveMembrane writes α·(u − r) + (1 − α)·(x − w); nil u, r, x or w
// are zero. out may be any of them.
func AdaptiveMembrane[T Float](wk *parallel.Workers, out, alpha, u, r, x, w []T) {
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		left, right := make([]T, cols), make([]T, cols)
		for q := lo; q < hi; q++ {
			k0, k1 := q*cols, (q+1)*cols
			diffRow(left, sub(u, k0, k1), sub(r, k0, k1))
			diffRow(right, sub(x, k0, k1), sub(w, k0, k1))
			o := out[k0:k1]
			for j, al := range alpha {
				o[j] = al*left[j] + (1-al)*right[j]
			}
		}
	})
}

// AdaptationGrad writes dw[n+1] = −(1 − α)·g + ρ·e, with g = dU[n+1] and
// e = dw[n+2] (nil: zero).
func AdaptationGrad[T Float](wk *parallel.Workers, out, alpha, rho, g, e []T) {
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			k0, k1 := q*cols, (q+1)*cols
			o, gb := out[k0:k1], g[k0:k1]
			for j, al := range alpha {
				o[j] = -(1 - al) * gb[j]
			}
			addProduct(o, rho, sub(e, k0, k1))
		}
	})
}

// ScaleColumns writes c·g, c per column, with c = 1 − p for complement
// and −p otherwise.
func ScaleColumns[T Float](wk *parallel.Workers, out, p, g []T, complement bool) {
	cols := len(p)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			o, gb := out[q*cols:(q+1)*cols], g[q*cols:(q+1)*cols]
			if complement {
				for j, v := range p {
					o[j] = (1 - v) * gb[j]
				}
			} else {
				for j, v := range p {
					o[j] = -v * gb[j]
				}
			}
		}
	})
}

// AdaptiveGradU writes dU[n] = h(u − θ)·(g + b·e) + α·d + a·e, with
// g = dS[n], d = dU[n+1] and e = dw[n+1] (nil: zero). out may be d.
func AdaptiveGradU[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, g, alpha, a, b, d, e []T) {
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*costly, func(lo, hi int) {
		ds, h := make([]T, cols), make([]T, cols)
		for q := lo; q < hi; q++ {
			k0, k1 := q*cols, (q+1)*cols
			copy(ds, g[k0:k1])
			adaptiveGradURow(out[k0:k1], ds, h, s, u[k0:k1], alpha, a, b, d[k0:k1], sub(e, k0, k1))
		}
	})
}

// adaptiveGradURow is AdaptiveGradU of one row whose dS[n] is in ds
// (overwritten); h is scratch space.
func adaptiveGradURow[T Float](out, ds, h []T, s surrogate.Surrogate, u, alpha, a, b, d, e []T) {
	addProduct(ds, b, e)
	surrogateGrad(h, s, u, ds)
	addProduct(h, alpha, d)
	addProduct(h, a, e)
	copy(out, h)
}

// AdaptiveGradUProj is AdaptiveGradU with dS = gain·g·Wᵀ computed one row
// at a time and never stored, as LIFGradUProj: g is [rows, cols], W
// [fanIn, cols], the rest [rows, fanIn], the parameters [fanIn]. out may
// be d itself.
func AdaptiveGradUProj[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, g, w []T, cols int, gain T, alpha, a, b, d, e []T) {
	addScaled := addScaledFor[T]()
	fanIn := len(w) / cols
	rows := len(u) / fanIn
	wt := make([]T, len(w)) // gain·Wᵀ, [cols, fanIn]
	for i := 0; i < fanIn; i++ {
		for k, v := range w[i*cols : (i+1)*cols] {
			wt[k*fanIn+i] = gain * v
		}
	}
	wk.For(rows, rows*fanIn*(cols+costly), func(lo, hi int) {
		ds, h := make([]T, fanIn), make([]T, fanIn)
		ks, cs := make([]int32, cols), make([]T, cols)
		for q := lo; q < hi; q++ {
			k0, k1 := q*fanIn, (q+1)*fanIn
			backProjRow(ds, g[q*cols:(q+1)*cols], wt, ks, cs, addScaled)
			adaptiveGradURow(out[k0:k1], ds, h, s, u[k0:k1], alpha, a, b, d[k0:k1], sub(e, k0, k1))
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
		x, y := make([]T, hi-lo), make([]T, hi-lo)
		for _, st := range steps {
			rows := len(st.DU) / cols
			for q := 0; q < rows; q++ {
				k0, k1 := q*cols+lo, q*cols+hi
				// x = U − R − x[n] + w[n+1]
				diffRow(x, sub(st.U, k0, k1), sub(st.R, k0, k1))
				diffRow(y, x, sub(st.X, k0, k1))
				if st.W1 != nil {
					for j, v := range st.W1[k0:k1] {
						y[j] += v
					}
				}
				addProduct(alpha[lo:hi], st.DU[k0:k1], y)
				if dw := sub(st.DW, k0, k1); dw != nil {
					addProduct(rho[lo:hi], dw, sub(st.W0, k0, k1))
					addProduct(a[lo:hi], dw, sub(st.U, k0, k1))
					addProduct(b[lo:hi], dw, sub(st.S, k0, k1))
				}
			}
		}
	})
}

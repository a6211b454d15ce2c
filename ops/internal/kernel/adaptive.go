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
// In float32, package simd's loops (simdRows) take the calls whose
// operands are all there, those of every step but the first and last few,
// a goroutine's rows at once; the others, and float64, run the Go loops
// below, row by row.

// diffRow writes x − y into dst; nil x or y are zero.
func diffRow[T Float](dst, x, y []T) {
	switch {
	case x != nil && y != nil:
		if l := simdRows[T](); l != nil {
			l.sub(dst, x, y)
			return
		}
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
	if l := simdRows[T](); l != nil {
		l.addProduct(dst, p, x)
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
	l := simdRows[T]()
	cols := len(rho)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		k0, k1 := lo*cols, hi*cols
		if l != nil && w != nil && u != nil && s != nil {
			l.adapt(out[k0:k1], rho, a, b, w[k0:k1], u[k0:k1], s[k0:k1])
			return
		}
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
	l := simdRows[T]()
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		k0, k1 := lo*cols, hi*cols
		if l != nil && u != nil && r != nil && x != nil && w != nil {
			l.adaptiveMembrane(out[k0:k1], alpha, u[k0:k1], r[k0:k1], x[k0:k1], w[k0:k1])
			return
		}
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
	l := simdRows[T]()
	cols := len(alpha)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		if k0, k1 := lo*cols, hi*cols; l != nil && e != nil {
			l.adaptationGrad(out[k0:k1], alpha, rho, g[k0:k1], e[k0:k1])
			return
		}
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
	l := simdRows[T]()
	cols := len(p)
	wk.For(len(out)/cols, len(out)*cheap, func(lo, hi int) {
		if k0, k1 := lo*cols, hi*cols; l != nil {
			if complement {
				l.complementMul(out[k0:k1], p, g[k0:k1])
			} else {
				l.negMul(out[k0:k1], p, g[k0:k1])
			}
			return
		}
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
		row := newAdaptiveGradURow(s, alpha, a, b)
		if k0, k1 := lo*cols, hi*cols; row.fast(e) {
			row.run(out[k0:k1], g[k0:k1], u[k0:k1], d[k0:k1], e[k0:k1])
			return
		}
		for q := lo; q < hi; q++ {
			k0, k1 := q*cols, (q+1)*cols
			row.run(out[k0:k1], g[k0:k1], u[k0:k1], d[k0:k1], sub(e, k0, k1))
		}
	})
}

// adaptiveGradURow computes AdaptiveGradU's rows, on one goroutine: it
// holds the Go loops' scratch space.
type adaptiveGradURow[T Float] struct {
	l           *simdRowLoops[T]
	s           surrogate.Surrogate
	num, steep  T
	rational    bool // s has a simd loop (rationalSurrogate)
	alpha, a, b []T
	ds, h       []T // the Go loops' scratch space
}

func newAdaptiveGradURow[T Float](s surrogate.Surrogate, alpha, a, b []T) *adaptiveGradURow[T] {
	r := &adaptiveGradURow[T]{l: simdRows[T](), s: s, alpha: alpha, a: a, b: b}
	r.num, r.steep, r.rational = rationalSurrogate[T](s)
	return r
}

// fast reports whether rows whose dw[n+1] is e run the simd loop, which
// takes any number of rows; the Go loops take one.
func (r *adaptiveGradURow[T]) fast(e []T) bool { return r.l != nil && r.rational && e != nil }

// run writes the rows' dU[n] to out from their dS[n] in g.
func (r *adaptiveGradURow[T]) run(out, g, u, d, e []T) {
	if r.fast(e) {
		r.l.adaptiveGradU(out, u, g, d, e, r.alpha, r.a, r.b, r.num, r.steep)
		return
	}
	if r.ds == nil {
		r.ds, r.h = make([]T, len(out)), make([]T, len(out))
	}
	ds, h := r.ds[:len(out)], r.h[:len(out)]
	copy(ds, g)
	addProduct(ds, r.b, e)
	surrogateGrad(h, r.s, u, ds)
	addProduct(h, r.alpha, d)
	addProduct(h, r.a, e)
	copy(out, h)
}

// AdaptiveGradUProj is AdaptiveGradU with dS = gain·g·Wᵀ computed one row
// at a time and never stored, as LIFGradUProj: g is [rows, cols], W
// [fanIn, cols], the rest [rows, fanIn], the parameters [fanIn]. out may
// be d itself.
func AdaptiveGradUProj[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, g, w []T, cols int, gain T, alpha, a, b, d, e []T) {
	wt, _, stride := projT(w, cols, gain)
	AdaptiveGradUProjT(wk, out, s, u, g, wt, stride, cols, alpha, a, b, d, e)
}

// AdaptiveGradUProjT is AdaptiveGradUProj from gain·Wᵀ, [cols, stride]
// with stride ≥ fanIn (see ProjT), which a readout's gradient carries for
// every step's.
func AdaptiveGradUProjT[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, g, wt []T, stride, cols int, alpha, a, b, d, e []T) {
	addScaled := addScaledFor[T]()
	fanIn := len(alpha)
	rows := len(u) / fanIn
	wk.For(rows, rows*fanIn*(cols+costly), func(lo, hi int) {
		row := newAdaptiveGradURow(s, alpha, a, b)
		ds := make([]T, stride)
		ks, cs := make([]int32, cols), make([]T, cols)
		for q := lo; q < hi; q++ {
			k0, k1 := q*fanIn, (q+1)*fanIn
			backProjRow(ds, g[q*cols:(q+1)*cols], wt[:cols*stride], ks, cs, addScaled)
			row.run(out[k0:k1], ds[:fanIn], u[k0:k1], d[k0:k1], sub(e, k0, k1))
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
	l := simdRows[T]()
	wk.For(cols, cols*len(steps)*cheap*16, func(lo, hi int) {
		var x, y []T // the Go loops' scratch space
		for _, st := range steps {
			if l != nil && adaptiveStepSIMD(l, alpha, rho, a, b, st, lo, hi) {
				continue
			}
			if x == nil {
				x, y = make([]T, hi-lo), make([]T, hi-lo)
			}
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

// adaptiveStepSIMD adds step st's terms to columns lo…hi−1 of the
// gradients with package simd's loops, all rows in one call per gradient
// when lo…hi−1 are all the columns, and reports true; it does nothing and
// reports false when one of dα's operands is nil.
func adaptiveStepSIMD[T Float](l *simdRowLoops[T], alpha, rho, a, b []T, st AdaptiveStep[T], lo, hi int) bool {
	if st.U == nil || st.R == nil || st.X == nil || st.W1 == nil {
		return false
	}
	cols := len(alpha)
	alpha, rho, a, b = alpha[lo:hi], rho[lo:hi], a[lo:hi], b[lo:hi]
	forColumnSpans(len(st.DU), cols, lo, hi, func(k0, k1 int) {
		l.alphaGrad(alpha, st.DU[k0:k1], st.U[k0:k1], st.R[k0:k1], st.X[k0:k1], st.W1[k0:k1])
		if st.DW == nil {
			return
		}
		dw := st.DW[k0:k1]
		if st.W0 != nil {
			l.addProduct(rho, dw, st.W0[k0:k1])
		}
		l.addProduct(a, dw, st.U[k0:k1])
		if st.S != nil {
			l.addProduct(b, dw, st.S[k0:k1])
		}
	})
	return true
}

// forColumnSpans calls f on the spans k0…k1−1 of columns lo…hi−1 of a
// [n/cols, cols] matrix, in order: the whole matrix when those are all its
// columns, else one span per row.
func forColumnSpans(n, cols, lo, hi int, f func(k0, k1 int)) {
	if lo == 0 && hi == cols {
		f(0, n)
		return
	}
	for k0 := lo; k0 < n; k0 += cols {
		f(k0, k0+hi-lo)
	}
}

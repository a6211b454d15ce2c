package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The fused backward pass of a LIF layer's time step (lif.Cell).

// LIFGradU writes dU[n] = h(u − θ)·g + β·(1 − r)·d, with g = dS[n] and
// d = dU[n+1]; r may be nil (zero). out may be d itself.
func LIFGradU[T Float](w *parallel.Workers, out []T, s surrogate.Surrogate, u, g []T, beta T, d, r []T) {
	forElems(w, len(out), costly, func(lo, hi int) {
		lifGradU(out[lo:hi], s, u[lo:hi], g[lo:hi], beta, d[lo:hi], sub(r, lo, hi))
	})
}

func lifGradU[T Float](out []T, s surrogate.Surrogate, u, g []T, beta T, d, r []T) {
	n := len(out)
	u, g, d = u[:n], g[:n], d[:n]
	if r != nil {
		r = r[:n]
	}
	b := T(s.Beta)
	switch s.Shape {
	case surrogate.SuperSpike, surrogate.Asymptotic:
		num := T(1)
		if s.Shape == surrogate.Asymptotic {
			num = b
		}
		if o, ok := as32(out); ok && r != nil {
			k := simdLen(len(o))
			u32, _ := as32(u)
			g32, _ := as32(g)
			d32, _ := as32(d)
			r32, _ := as32(r)
			simd.LIFGradU(o[:k], u32[:k], g32[:k], d32[:k], r32[:k], float32(num), float32(b), float32(beta))
			out, u, g, d, r = out[k:], u[k:], g[k:], d[k:], r[k:]
		}
		if r == nil {
			for i, v := range u {
				x := v - Threshold
				if x < 0 {
					x = -x
				}
				q := b*x + 1
				out[i] = g[i]*(num/(q*q)) + beta*d[i]
			}
			return
		}
		for i, v := range u {
			x := v - Threshold
			if x < 0 {
				x = -x
			}
			q := b*x + 1
			out[i] = g[i]*(num/(q*q)) + beta*(1-r[i])*d[i]
		}
	case surrogate.Esser:
		for i, v := range u {
			m := beta
			if r != nil {
				m = beta * (1 - r[i])
			}
			out[i] = g[i]*esserH(b, v) + m*d[i]
		}
	default:
		if o, ok := as32(out); ok && s.Shape == surrogate.Sigmoid {
			u32, _ := as32(u)
			g32, _ := as32(g)
			d32, _ := as32(d)
			r32, _ := as32(r)
			lifGradUSigmoid32(o, float32(b), u32, g32, float32(beta), d32, r32)
			return
		}
		// One pass, element by element: out may be d itself.
		for i, v := range u {
			m := beta
			if r != nil {
				m = beta * (1 - r[i])
			}
			out[i] = g[i]*T(s.Deriv(float64(v)-Threshold)) + m*d[i]
		}
	}
}

// LIFGradI writes dĨ[n] = (1 − r)·d + β·e, with d = dU[n+1] and
// e = dĨ[n+1]; r may be nil (zero). out may be d itself.
func LIFGradI[T Float](w *parallel.Workers, out, d []T, beta T, e, r []T) {
	forElems(w, len(out), cheap, func(lo, hi int) { lifGradI(out[lo:hi], d[lo:hi], beta, e[lo:hi], sub(r, lo, hi)) })
}

func lifGradI[T Float](out, d []T, beta T, e, r []T) {
	if o, ok := as32(out); ok && r != nil {
		k := simdLen(len(o))
		d32, _ := as32(d)
		e32, _ := as32(e)
		r32, _ := as32(r)
		simd.LIFGradI(o[:k], d32[:k], e32[:k], r32[:k], float32(beta))
		out, d, e, r = out[k:], d[k:], e[k:], r[k:]
	}
	n := len(out)
	d, e = d[:n], e[:n]
	if r == nil {
		for i := range out {
			out[i] = d[i] + beta*e[i]
		}
		return
	}
	r = r[:n]
	for i := range out {
		out[i] = (1-r[i])*d[i] + beta*e[i]
	}
}

// LIFGradUProj is LIFGradU with dS = gain·g·Wᵀ computed one row at a time
// and never stored: g is [rows, cols], W [fanIn, cols], the rest
// [rows, fanIn]. out may be d itself.
func LIFGradUProj[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, r, g, w, d []T, cols int, beta, gain T) {
	wt, _, stride := projT(w, cols, gain)
	LIFGradUProjT(wk, out, s, u, r, g, wt, stride, d, cols, beta)
}

// LIFGradUProjT is LIFGradUProj from gain·Wᵀ, [cols, stride] with stride ≥
// fanIn (see ProjT), which a caller that projects many steps through the
// same W builds once.
func LIFGradUProjT[T Float](wk *parallel.Workers, out []T, s surrogate.Surrogate, u, r, g, wt []T, stride int, d []T, cols int, beta T) {
	addScaled := addScaledFor[T]()
	fanIn := len(d) / (len(g) / cols)
	rows := len(u) / fanIn
	wk.For(rows, rows*fanIn*(cols+costly), func(lo, hi int) {
		ds := make([]T, stride)
		ks, cs := make([]int32, cols), make([]T, cols)
		for b := lo; b < hi; b++ {
			row := out[b*fanIn : (b+1)*fanIn]
			backProjRow(ds, g[b*cols:(b+1)*cols], wt[:cols*stride], ks, cs, addScaled)
			lifGradU(row, s, u[b*fanIn:(b+1)*fanIn], ds[:fanIn], beta, d[b*fanIn:(b+1)*fanIn], r[b*fanIn:(b+1)*fanIn])
		}
	})
}

package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The element-wise kernels of the ops' forward and backward passes. Those
// that take Workers split their range between goroutines when it is large.

// elementCost weighs an element update for Workers.For: spawning a
// goroutine pays off above about parallel.Grain weighted updates.
const (
	cheap  = 2 // a load or two and a store
	costly = 8 // a division or an exponential
)

// forElems runs f over [0, n) split between goroutines.
func forElems(w *parallel.Workers, n, cost int, f func(lo, hi int)) { w.For(n, n*cost, f) }

// Heaviside writes 1 where u ≥ θ and 0 elsewhere.
func Heaviside[T Float](w *parallel.Workers, out, u []T) {
	forElems(w, len(out), cheap, func(lo, hi int) { heaviside(out[lo:hi], u[lo:hi]) })
}

func heaviside[T Float](out, u []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		u32, _ := as32(u)
		simd.Heaviside(o[:n], u32[:n])
		out, u = out[n:], u[n:]
	}
	out = out[:len(u)]
	for i, v := range u {
		var s T
		if v >= Threshold {
			s = 1
		}
		out[i] = s
	}
}

// SurrogateGrad writes g·h(u − θ) for the surrogate s.
func SurrogateGrad[T Float](w *parallel.Workers, out []T, s surrogate.Surrogate, u, g []T) {
	forElems(w, len(out), costly, func(lo, hi int) { surrogateGrad(out[lo:hi], s, u[lo:hi], g[lo:hi]) })
}

// surrogateGrad is SurrogateGrad on one goroutine, one loop per shape.
func surrogateGrad[T Float](out []T, s surrogate.Surrogate, u, g []T) {
	u = u[:len(out)]
	g = g[:len(out)]
	beta := T(s.Beta)
	switch s.Shape {
	case surrogate.SuperSpike, surrogate.Asymptotic:
		num := T(1)
		if s.Shape == surrogate.Asymptotic {
			num = beta
		}
		if o, ok := as32(out); ok {
			n := simdLen(len(o))
			u32, _ := as32(u)
			g32, _ := as32(g)
			simd.SurrogateGrad(o[:n], u32[:n], g32[:n], float32(num), float32(beta))
			out, u, g = out[n:], u[n:], g[n:]
		}
		for i, v := range u {
			x := v - Threshold
			if x < 0 {
				x = -x
			}
			d := beta*x + 1
			out[i] = g[i] * (num / (d * d))
		}
	case surrogate.Esser:
		for i, v := range u {
			out[i] = g[i] * esserH(beta, v)
		}
	case surrogate.Sigmoid:
		if o, ok := as32(out); ok {
			u32, _ := as32(u)
			g32, _ := as32(g)
			sigmoidGrad32(o, float32(beta), u32, g32)
			return
		}
		for i, v := range u {
			out[i] = g[i] * T(s.Deriv(float64(v)-Threshold))
		}
	default:
		clear(out)
	}
}

// Membrane writes (β·u + i)·(1 − r); nil u, i or r are zero. out may be
// u, i or r itself.
func Membrane[T Float](w *parallel.Workers, out []T, beta T, u, i, r []T) {
	forElems(w, len(out), cheap, func(lo, hi int) {
		membrane(out[lo:hi], beta, sub(u, lo, hi), sub(i, lo, hi), sub(r, lo, hi))
	})
}

func membrane[T Float](out []T, beta T, u, i, r []T) {
	if o, ok := as32(out); ok && u != nil && i != nil {
		n := simdLen(len(o))
		u32, _ := as32(u)
		i32, _ := as32(i)
		if r != nil {
			r32, _ := as32(r)
			simd.Membrane(o[:n], u32[:n], i32[:n], r32[:n], float32(beta))
			r = r[n:]
		} else {
			simd.Integrate(o[:n], u32[:n], i32[:n], float32(beta))
		}
		out, u, i = out[n:], u[n:], i[n:]
	}
	// One pass, element by element: out may be u, i or r itself.
	n := len(out)
	var zero T
	for k := 0; k < n; k++ {
		v := zero
		switch {
		case u != nil && i != nil:
			v = beta*u[k] + i[k]
		case u != nil:
			v = beta * u[k]
		case i != nil:
			v = i[k]
		}
		if r != nil {
			v *= 1 - r[k]
		}
		out[k] = v
	}
}

// MaskScale writes a·g·(1 − r); r may be nil (zero).
func MaskScale[T Float](w *parallel.Workers, out []T, a T, g, r []T) {
	forElems(w, len(out), cheap, func(lo, hi int) { maskScale(out[lo:hi], a, g[lo:hi], sub(r, lo, hi)) })
}

func maskScale[T Float](out []T, a T, g, r []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		g32, _ := as32(g)
		if r != nil {
			r32, _ := as32(r)
			simd.MaskScale(o[:n], g32[:n], r32[:n], float32(a))
			r = r[n:]
		} else {
			simd.Scale(o[:n], g32[:n], float32(a))
		}
		out, g = out[n:], g[n:]
	}
	g = g[:len(out)]
	for k, v := range g {
		v *= a
		if r != nil {
			v *= 1 - r[k]
		}
		out[k] = v
	}
}

// NegMulSum writes −(β·u + i)·g, the gradient of a differentiable reset;
// nil u or i are zero.
func NegMulSum[T Float](w *parallel.Workers, out []T, beta T, u, i, g []T) {
	forElems(w, len(out), cheap, func(lo, hi int) {
		negMulSum(out[lo:hi], beta, sub(u, lo, hi), sub(i, lo, hi), g[lo:hi])
	})
}

func negMulSum[T Float](out []T, beta T, u, i, g []T) {
	n := len(out)
	g = g[:n]
	for k := range out {
		var v T
		if u != nil {
			v = beta * u[k]
		}
		if i != nil {
			v += i[k]
		}
		out[k] = -v * g[k]
	}
}

// Copy copies x into out, split like the other element-wise kernels so
// that each core copies the part it wrote and still has in cache.
func Copy[T Float](w *parallel.Workers, out, x []T) {
	forElems(w, len(out), cheap, func(lo, hi int) { copy(out[lo:hi], x[lo:hi]) })
}

// Scale writes a·x.
func Scale[T Float](out []T, a T, x []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		x32, _ := as32(x)
		simd.Scale(o[:n], x32[:n], float32(a))
		out, x = out[n:], x[n:]
	}
	x = x[:len(out)]
	for k, v := range x {
		out[k] = a * v
	}
}

// Axpby writes a·x + b·y.
func Axpby[T Float](out []T, a T, x []T, b T, y []T) {
	y = y[:len(x)]
	out = out[:len(x)]
	for i := range x {
		out[i] = a*x[i] + b*y[i]
	}
}

// Reset writes v·(1 − s).
func Reset[T Float](out, v, s []T) {
	s = s[:len(v)]
	out = out[:len(v)]
	for i := range v {
		out[i] = v[i] * (1 - s[i])
	}
}

// NegMul writes −x·y.
func NegMul[T Float](out, x, y []T) {
	y = y[:len(x)]
	out = out[:len(x)]
	for i := range x {
		out[i] = -x[i] * y[i]
	}
}

// esserH is the Esser et al. surrogate max(0, 1 − β|u − θ|), as
// surrogate.Deriv computes it (the float64 result is the same to the bit).
func esserH[T Float](beta, u T) T {
	x := u - Threshold
	if x < 0 {
		x = -x
	}
	return max(0, 1-beta*x)
}

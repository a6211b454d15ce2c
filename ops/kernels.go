package ops

import (
	"runtime"
	"sync"
	"unsafe"

	blas "gonum.org/v1/gonum/blas/gonum"
)

// This file holds the loops behind the fused ops: typed, free of bounds
// checks where it matters, split over the batch between goroutines when
// the work is large enough, and using gonum's SIMD axpy for row updates.

var blasImpl blas.Implementation

// axpyFn adds a·x to y (len(x) == len(y)).
type axpyFn[T float] func(a T, x, y []T)

func axpy32(a float32, x, y []float32) {
	if len(x) > 0 {
		blasImpl.Saxpy(len(x), a, x, 1, y, 1)
	}
}

func axpy64(a float64, x, y []float64) {
	if len(x) > 0 {
		blasImpl.Daxpy(len(x), a, x, 1, y, 1)
	}
}

// parallelGrain is the least work (in element updates) worth a goroutine.
const parallelGrain = 1 << 14

// parallel runs body over [0, n) in chunks, in parallel when work (the
// number of element updates of the whole range) is large enough to pay for
// the goroutines. Chunks never overlap, so body may write rows lo…hi−1 of
// an output freely.
func parallel(n, work int, body func(lo, hi int)) {
	p := runtime.GOMAXPROCS(0)
	if p > n {
		p = n
	}
	if w := work / parallelGrain; p > w {
		p = w
	}
	if p <= 1 {
		body(0, n)
		return
	}
	var wg sync.WaitGroup
	wg.Add(p - 1)
	for k := 1; k < p; k++ {
		go func(lo, hi int) {
			defer wg.Done()
			body(lo, hi)
		}(k*n/p, (k+1)*n/p)
	}
	body(0, n/p)
	wg.Wait()
}

// forEachNonzero calls f(i, v) for every non-zero x[i], in order of i. It
// skips runs of zeros (both signs) quickly: spike rasters are mostly zero.
func forEachNonzero[T float](x []T, f func(i int, v T)) {
	switch xs := any(x).(type) {
	case []float32:
		forEachNonzero32(xs, func(i int, v float32) { f(i, T(v)) })
	default:
		for i, v := range x {
			if v != 0 {
				f(i, v)
			}
		}
	}
}

// forEachNonzero32 checks four floats at a time through their bits.
func forEachNonzero32(x []float32, f func(i int, v float32)) {
	const noSign = 0x7fffffff7fffffff
	n := len(x) &^ 3
	if n > 0 {
		w := unsafe.Slice((*uint64)(unsafe.Pointer(&x[0])), n/2)
		for k := 0; k+1 < len(w); k += 2 {
			if (w[k]|w[k+1])&noSign == 0 {
				continue
			}
			for i := 2 * k; i < 2*k+4; i++ {
				if x[i] != 0 {
					f(i, x[i])
				}
			}
		}
	}
	for i := n; i < len(x); i++ {
		if x[i] != 0 {
			f(i, x[i])
		}
	}
}

// heaviside writes 1 where u ≥ θ and 0 elsewhere.
func heaviside[T float](out, u []T) {
	u = u[:len(out)]
	for i, v := range u {
		var s T
		if v >= Threshold {
			s = 1
		}
		out[i] = s
	}
}

// surrogateGrad writes g·h(u − θ) for the surrogate s, one loop per shape.
func surrogateGrad[T float](s Surrogate, out, u, g []T) {
	u = u[:len(out)]
	g = g[:len(out)]
	beta := T(s.Beta)
	switch s.Shape {
	case SuperSpike, Asymptotic:
		num := T(1)
		if s.Shape == Asymptotic {
			num = beta
		}
		for i, v := range u {
			x := v - Threshold
			if x < 0 {
				x = -x
			}
			d := beta*x + 1
			out[i] = g[i] * (num / (d * d))
		}
	case Esser:
		for i, v := range u {
			x := v - Threshold
			if x < 0 {
				x = -x
			}
			h := 1 - beta*x
			if h < 0 {
				h = 0
			}
			out[i] = g[i] * h
		}
	case Sigmoid:
		for i, v := range u {
			out[i] = g[i] * T(s.Deriv(float64(v)-Threshold))
		}
	default:
		clear(out)
	}
}

// membrane writes (β·u + i)·(1 − r); nil u, i or r are zero.
func membrane[T float](out []T, beta T, u, i, r []T) {
	n := len(out)
	switch {
	case u != nil && i != nil:
		u, i = u[:n], i[:n]
		for k := range out {
			out[k] = beta*u[k] + i[k]
		}
	case u != nil:
		u = u[:n]
		for k := range out {
			out[k] = beta * u[k]
		}
	case i != nil:
		copy(out, i[:n])
	default:
		clear(out)
	}
	if r != nil {
		r = r[:n]
		forEachNonzero(r, func(k int, v T) { out[k] *= 1 - v })
	}
}

// maskScale writes a·g·(1 − r); r may be nil (zero).
func maskScale[T float](out []T, a T, g, r []T) {
	n := len(out)
	g = g[:n]
	if a == 1 {
		copy(out, g)
	} else {
		for k, v := range g {
			out[k] = a * v
		}
	}
	if r != nil {
		forEachNonzero(r[:n], func(k int, v T) { out[k] *= 1 - v })
	}
}

// negMulSum writes −(β·u + i)·g, the gradient of a differentiable reset;
// nil u or i are zero.
func negMulSum[T float](out []T, beta T, u, i, g []T) {
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

// synapse writes β·c + gain·(x·W + r·V) for [rows, ·] row blocks; nil c, x
// or r are zero. Only the non-zero entries of x and r cost work.
func synapse[T float](out []T, rows int, beta T, c []T, gain T, x, w, r, v []T, axpy axpyFn[T]) {
	cols := len(out) / rows
	parallel(rows, len(out)*2, func(lo, hi int) {
		o := out[lo*cols : hi*cols]
		switch {
		case c == nil:
			clear(o)
		case beta == 1:
			copy(o, c[lo*cols:hi*cols])
		default:
			for k, val := range c[lo*cols : hi*cols] {
				o[k] = beta * val
			}
		}
		for b := lo; b < hi; b++ {
			ob := out[b*cols : (b+1)*cols]
			gatherRows(ob, gain, x, w, b, cols, axpy)
			gatherRows(ob, gain, r, v, b, cols, axpy)
		}
	})
}

// gatherRows adds gain·x[b,:]·W to ob, one row of W per non-zero of x.
func gatherRows[T float](ob []T, gain T, x, w []T, b, cols int, axpy axpyFn[T]) {
	if x == nil {
		return
	}
	fanIn := len(w) / cols
	forEachNonzero(x[b*fanIn:(b+1)*fanIn], func(i int, val T) {
		axpy(gain*val, w[i*cols:(i+1)*cols], ob)
	})
}

// weightGrad writes gain·Σ_j x_jᵀ·g_j into out [fanIn, cols], with x_j
// [rows, fanIn] and g_j [rows, cols]: one axpy per non-zero of x_j.
func weightGrad[T float](out []T, fanIn, cols int, gain T, xs, gs [][]T, axpy axpyFn[T]) {
	clear(out)
	if len(xs) == 0 {
		return
	}
	rows := len(gs[0]) / cols
	acc := func(dst []T, lo, hi int) {
		for j := lo; j < hi; j++ {
			x, g := xs[j], gs[j]
			for b := 0; b < rows; b++ {
				gb := g[b*cols : (b+1)*cols]
				forEachNonzero(x[b*fanIn:(b+1)*fanIn], func(i int, val T) {
					axpy(gain*val, gb, dst[i*cols:(i+1)*cols])
				})
			}
		}
	}
	if runtime.GOMAXPROCS(0) < 2 || len(xs) < 2 || len(xs)*len(xs[0]) < 8*parallelGrain {
		acc(out, 0, len(xs))
		return
	}
	// Two halves of the time steps, each into its own accumulator.
	half := len(xs) / 2
	other := make([]T, len(out))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		acc(other, half, len(xs))
	}()
	acc(out, 0, half)
	wg.Wait()
	for k, v := range other {
		out[k] += v
	}
}

// backProj writes gain·g·Wᵀ into out [rows, fanIn], with g [rows, cols]
// and W [fanIn, cols].
func backProj[T float](out []T, gain T, g, w []T, cols int, axpy axpyFn[T]) {
	fanIn := len(w) / cols
	rows := len(g) / cols
	wt := make([]T, len(w)) // Wᵀ, [cols, fanIn], scaled by gain
	for i := 0; i < fanIn; i++ {
		for k, v := range w[i*cols : (i+1)*cols] {
			wt[k*fanIn+i] = gain * v
		}
	}
	parallel(rows, rows*cols*fanIn, func(lo, hi int) {
		clear(out[lo*fanIn : hi*fanIn])
		for b := lo; b < hi; b++ {
			ob := out[b*fanIn : (b+1)*fanIn]
			for k, gv := range g[b*cols : (b+1)*cols] {
				if gv != 0 {
					axpy(gv, wt[k*fanIn:(k+1)*fanIn], ob)
				}
			}
		}
	})
}

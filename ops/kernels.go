package ops

import (
	"slices"

	blas "gonum.org/v1/gonum/blas/gonum"
)

// This file holds the loops behind the fused ops: typed, free of bounds
// checks where it matters, split over the batch between goroutines when
// the work is large enough, and using gonum's SIMD axpy for row updates.

var blasImpl blas.Implementation

// axpyFn adds a·x to y (len(x) == len(y)).
type axpyFn[T float] func(a T, x, y []T)

// shortRow is the row length below which a Go loop beats the call into
// gonum's assembly.
const shortRow = 32

func axpy32(a float32, x, y []float32) {
	n := simdLen(len(x))
	y = y[:len(x)]
	axpyVecF32(a, x[:n], y[:n])
	for k := n; k < len(x); k++ {
		y[k] += a * x[k]
	}
}

func axpy64(a float64, x, y []float64) {
	if len(x) < shortRow {
		axpyLoop(a, x, y)
		return
	}
	blasImpl.Daxpy(len(x), a, x, 1, y, 1)
}

func axpyLoop[T float](a T, x, y []T) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// parallelGrain is the least work (in element updates) worth a goroutine.
const parallelGrain = 1 << 14

// parallel runs body over [0, n) in chunks, in parallel when work (the
// number of element updates of the whole range) is large enough to pay for
// the goroutines. Chunks never overlap, so body may write rows lo…hi−1 of
// an output freely.
func parallel(w *Workers, n, work int, body func(lo, hi int)) {
	parallelParts(w, n, work, func(_, lo, hi int) { body(lo, hi) })
}

// chunksPerCore is how many chunks parallel cuts per core: when a core
// stalls (its virtual CPU descheduled, say), the others take over its
// unclaimed chunks instead of waiting.
const chunksPerCore = 4

// maxParts bounds the chunk numbers parallelParts hands out.
func maxParts(w *Workers) int { return chunksPerCore * w.limit() }

// parallelParts is parallel whose body also learns the number k of its
// chunk, 0 ≤ k < maxParts(w); chunks cover increasing ranges as k grows.
func parallelParts(w *Workers, n, work int, body func(k, lo, hi int)) {
	p := min(w.limit(), n, work/parallelGrain)
	if p <= 1 || !w.split(n, min(n, chunksPerCore*p), p-1, body) {
		body(0, 0, n)
	}
}

// nonzeroChunk is how many elements nonzerosF32 scans per call: a
// multiple of its sixteen.
const nonzeroChunk = 256

// forEachNonzero calls f(i, v) for every non-zero x[i], in order of i:
// spike rasters are mostly zero. For float32 the SSE loop of simd_amd64.s
// finds the non-zeros, sixteen floats at a time.
func forEachNonzero[T float](x []T, f func(i int, v T)) {
	if x32, ok := as32(x); ok {
		// Small, because Go clears it on every call.
		var buf [nonzeroChunk]int32
		for lo := 0; lo < len(x32); lo += len(buf) {
			chunk := x32[lo:min(lo+len(buf), len(x32))]
			n := nonzerosF32(chunk, buf[:])
			for _, k := range buf[:n] {
				f(lo+int(k), x[lo+int(k)])
			}
			for k := len(chunk) &^ 15; k < len(chunk); k++ {
				if chunk[k] != 0 {
					f(lo+k, x[lo+k])
				}
			}
		}
		return
	}
	for i, v := range x {
		if v != 0 {
			f(i, v)
		}
	}
}

// appendNonzeros appends the positions of x's non-zeros to dst, in order,
// and reports false (dst then undefined) as soon as there are more than
// limit of them.
func appendNonzeros[T float](dst []int32, x []T, limit int) ([]int32, bool) {
	x32, ok := as32(x)
	if !ok {
		for i, v := range x {
			if v != 0 {
				if dst = append(dst, int32(i)); len(dst) > limit {
					return dst, false
				}
			}
		}
		return dst, true
	}
	for lo := 0; lo < len(x32); lo += nonzeroChunk {
		chunk := x32[lo:min(lo+nonzeroChunk, len(x32))]
		dst = slices.Grow(dst, len(chunk))
		free := dst[len(dst) : len(dst)+len(chunk)]
		n := nonzerosF32(chunk, free)
		for k := range free[:n] {
			free[k] += int32(lo)
		}
		dst = dst[:len(dst)+n]
		for k := len(chunk) &^ 15; k < len(chunk); k++ {
			if chunk[k] != 0 {
				dst = append(dst, int32(lo+k))
			}
		}
		if len(dst) > limit {
			return dst, false
		}
	}
	return dst, true
}

// elementCost weighs an element update for parallel: spawning a goroutine
// pays off above about parallelGrain weighted updates.
const (
	cheap  = 2 // a load or two and a store
	costly = 8 // a division or an exponential
)

// parallelElems runs f over [0, n) split between goroutines.
func parallelElems(w *Workers, n, cost int, f func(lo, hi int)) { parallel(w, n, n*cost, f) }

// sub is x[lo:hi], or nil for a nil x.
func sub[T float](x []T, lo, hi int) []T {
	if x == nil {
		return nil
	}
	return x[lo:hi]
}

func heaviside[T float](w *Workers, out, u []T) {
	parallelElems(w, len(out), cheap, func(lo, hi int) { heavisideSeq(out[lo:hi], u[lo:hi]) })
}

func surrogateGrad[T float](w *Workers, s Surrogate, out, u, g []T) {
	parallelElems(w, len(out), costly, func(lo, hi int) { surrogateGradSeq(s, out[lo:hi], u[lo:hi], g[lo:hi]) })
}

func membrane[T float](w *Workers, out []T, beta T, u, i, r []T) {
	parallelElems(w, len(out), cheap, func(lo, hi int) {
		membraneSeq(out[lo:hi], beta, sub(u, lo, hi), sub(i, lo, hi), sub(r, lo, hi))
	})
}

func maskScale[T float](w *Workers, out []T, a T, g, r []T) {
	parallelElems(w, len(out), cheap, func(lo, hi int) { maskScaleSeq(out[lo:hi], a, g[lo:hi], sub(r, lo, hi)) })
}

func negMulSum[T float](w *Workers, out []T, beta T, u, i, g []T) {
	parallelElems(w, len(out), cheap, func(lo, hi int) {
		negMulSumSeq(out[lo:hi], beta, sub(u, lo, hi), sub(i, lo, hi), g[lo:hi])
	})
}

func lifGradU[T float](w *Workers, s Surrogate, out, u, g []T, beta T, d, r []T) {
	parallelElems(w, len(out), costly, func(lo, hi int) {
		lifGradUSeq(s, out[lo:hi], u[lo:hi], g[lo:hi], beta, d[lo:hi], sub(r, lo, hi))
	})
}

func lifGradI[T float](w *Workers, out, d []T, beta T, e, r []T) {
	parallelElems(w, len(out), cheap, func(lo, hi int) { lifGradISeq(out[lo:hi], d[lo:hi], beta, e[lo:hi], sub(r, lo, hi)) })
}

// as32 returns x as a []float32 if T is float32 (nil for a nil x).
func as32[T float](x []T) ([]float32, bool) {
	v, ok := any(x).([]float32)
	return v, ok
}

// simdLen is the part of n the SSE loops handle, a multiple of 4.
func simdLen(n int) int { return n &^ 3 }

// heaviside writes 1 where u ≥ θ and 0 elsewhere.
func heavisideSeq[T float](out, u []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		u32, _ := as32(u)
		heavisideVecF32(o[:n], u32[:n])
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

// surrogateGrad writes g·h(u − θ) for the surrogate s, one loop per shape.
func surrogateGradSeq[T float](s Surrogate, out, u, g []T) {
	u = u[:len(out)]
	g = g[:len(out)]
	beta := T(s.Beta)
	switch s.Shape {
	case SuperSpike, Asymptotic:
		num := T(1)
		if s.Shape == Asymptotic {
			num = beta
		}
		if o, ok := as32(out); ok {
			n := simdLen(len(o))
			u32, _ := as32(u)
			g32, _ := as32(g)
			surrogateF32(o[:n], u32[:n], g32[:n], float32(num), float32(beta))
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
func membraneSeq[T float](out []T, beta T, u, i, r []T) {
	if o, ok := as32(out); ok && u != nil && i != nil {
		n := simdLen(len(o))
		u32, _ := as32(u)
		i32, _ := as32(i)
		if r != nil {
			r32, _ := as32(r)
			membraneVecF32(o[:n], u32[:n], i32[:n], r32[:n], float32(beta))
			r = r[n:]
		} else {
			axpbyF32(o[:n], u32[:n], i32[:n], float32(beta))
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

// maskScale writes a·g·(1 − r); r may be nil (zero).
func maskScaleSeq[T float](out []T, a T, g, r []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		g32, _ := as32(g)
		if r != nil {
			r32, _ := as32(r)
			maskScaleF32(o[:n], g32[:n], r32[:n], float32(a))
			r = r[n:]
		} else {
			scaleVecF32(o[:n], g32[:n], float32(a))
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

// negMulSum writes −(β·u + i)·g, the gradient of a differentiable reset;
// nil u or i are zero.
func negMulSumSeq[T float](out []T, beta T, u, i, g []T) {
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
func synapse[T float](wk *Workers, out []T, rows int, beta T, c []T, gain T, x []T, xi *csr[T], w, r []T, ri *csr[T], v []T, si *sparseIndex, step int, axpy axpyFn[T]) {
	cols := len(out) / rows
	if si != nil && xi == nil {
		xi = buildIndex(si, 2*step, x, rows)
	}
	if si != nil && ri == nil {
		ri = buildIndex(si, 2*step+1, r, rows)
	}
	parallel(wk, rows, len(out)*2, func(lo, hi int) {
		o := out[lo*cols : hi*cols]
		switch {
		case c == nil:
			clear(o)
		case beta == 1:
			copy(o, c[lo*cols:hi*cols])
		default:
			scaleSeq(o, beta, c[lo*cols:hi*cols])
		}
		for b := lo; b < hi; b++ {
			ob := out[b*cols : (b+1)*cols]
			gatherIndexed(ob, gain, x, xi, w, b, cols, axpy)
			gatherIndexed(ob, gain, r, ri, v, b, cols, axpy)
		}
	})
}

// gatherIndexed is gatherRows through the index xi when there is one.
func gatherIndexed[T float](ob []T, gain T, x []T, xi *csr[T], w []T, b, cols int, axpy axpyFn[T]) {
	if xi == nil {
		gatherRows(ob, gain, x, w, b, cols, axpy)
		return
	}
	eventRows(ob, w, gain, xi, b, cols, false, axpy)
}

// eventRows goes through the entries (i, v) of row b of xi in order and,
// with a = gain·v, adds a·table[i,:] to fixed (gather) or, with scatter,
// a·fixed to table[i,:].
func eventRows[T float](fixed, table []T, gain T, xi *csr[T], b, cols int, scatter bool, axpy axpyFn[T]) {
	lo, hi := xi.start[b], xi.start[b+1]
	m := 0
	if f32, ok := as32(fixed); ok && useAVX {
		// All entries in one call, eight columns at a time.
		m = cols &^ 7
		t32, _ := as32(table)
		v32, _ := as32(xi.val[lo:hi])
		g32, _ := as32([]T{gain})
		eventsAVXF32(f32[:m], t32, cols, xi.col[lo:hi], v32, g32[0], scatter)
	}
	if m == cols {
		return
	}
	for k := lo; k < hi; k++ {
		i := int(xi.col[k])
		row := table[i*cols+m : (i+1)*cols]
		if scatter {
			axpy(gain*xi.val[k], fixed[m:], row)
		} else {
			axpy(gain*xi.val[k], row, fixed[m:])
		}
	}
}

// scaleSeq writes a·x.
func scaleSeq[T float](out []T, a T, x []T) {
	if o, ok := as32(out); ok {
		n := simdLen(len(o))
		x32, _ := as32(x)
		scaleVecF32(o[:n], x32[:n], float32(a))
		out, x = out[n:], x[n:]
	}
	x = x[:len(out)]
	for k, v := range x {
		out[k] = a * v
	}
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
func weightGrad[T float](w *Workers, out []T, fanIn, cols int, gain T, xs [][]T, xis []*csr[T], gs [][]T, axpy axpyFn[T]) {
	clear(out)
	if len(xs) == 0 {
		return
	}
	rows := len(gs[0]) / cols
	acc := func(dst []T, lo, hi int) {
		for j := lo; j < hi; j++ {
			x, xi, g := xs[j], xis[j], gs[j]
			for b := 0; b < rows; b++ {
				gb := g[b*cols : (b+1)*cols]
				if xi != nil {
					eventRows(gb, dst, gain, xi, b, cols, true, axpy)
					continue
				}
				forEachNonzero(x[b*fanIn:(b+1)*fanIn], func(i int, val T) {
					axpy(gain*val, gb, dst[i*cols:(i+1)*cols])
				})
			}
		}
	}
	if w.limit() < 2 || len(xs) < 2 || len(xs)*rows*fanIn < 8*parallelGrain {
		acc(out, 0, len(xs))
		return
	}
	// Time steps split into parts, each summed into its own accumulator.
	parts := min(w.limit(), len(xs), 4)
	accs := make([][]T, parts)
	accs[0] = out
	for k := 1; k < parts; k++ {
		accs[k] = make([]T, len(out))
	}
	parallel(w, parts, parts*8*parallelGrain, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			acc(accs[k], k*len(xs)/parts, (k+1)*len(xs)/parts)
		}
	})
	for _, a := range accs[1:] {
		for k, v := range a {
			out[k] += v
		}
	}
}

// backProj writes gain·g·Wᵀ into out [rows, fanIn], with g [rows, cols]
// and W [fanIn, cols].
func backProj[T float](wk *Workers, out []T, gain T, g, w []T, cols int, axpy axpyFn[T]) {
	fanIn := len(w) / cols
	rows := len(g) / cols
	wt := make([]T, len(w)) // Wᵀ, [cols, fanIn], scaled by gain
	for i := 0; i < fanIn; i++ {
		for k, v := range w[i*cols : (i+1)*cols] {
			wt[k*fanIn+i] = gain * v
		}
	}
	parallel(wk, rows, rows*cols*fanIn, func(lo, hi int) {
		ks, cs := make([]int32, cols), make([]T, cols)
		for b := lo; b < hi; b++ {
			backProjRow(out[b*fanIn:(b+1)*fanIn], g[b*cols:(b+1)*cols], wt, ks, cs, axpy)
		}
	})
}

// backProjRow writes Σ_k g[k]·wt[k,:] into ob over the non-zero g[k], in
// order: for each element the first term's product, then the other terms
// added one by one. ks and cs are scratch space of len(g).
func backProjRow[T float](ob, g, wt []T, ks []int32, cs []T, axpy axpyFn[T]) {
	n := len(ob)
	ks, cs = ks[:0], cs[:0]
	for k, gv := range g {
		if gv != 0 {
			ks, cs = append(ks, int32(k)), append(cs, gv)
		}
	}
	if len(ks) == 0 {
		clear(ob)
		return
	}
	m := 0
	if o32, ok := as32(ob); ok && useAVX {
		// The same operations in the same order, the sums kept in
		// registers eight elements at a time.
		m = n &^ 7
		w32, _ := as32(wt)
		c32, _ := as32(cs)
		combineAVXF32(o32[:m], w32, n, ks, c32)
	}
	if n-m < shortRow {
		for j := m; j < n; j++ {
			acc := cs[0] * wt[int(ks[0])*n+j]
			for q := 1; q < len(ks); q++ {
				acc += T(cs[q] * wt[int(ks[q])*n+j]) // rounded: no fused multiply-add
			}
			ob[j] = acc
		}
		return
	}
	for q, k := range ks {
		row := wt[int(k)*n+m : int(k+1)*n]
		if q == 0 {
			scaleSeq(ob[m:], cs[q], row)
		} else {
			axpy(cs[q], row, ob[m:])
		}
	}
}

// lifGradU writes h(u − θ)·g + β·(1 − r)·d; r may be nil (zero).
func lifGradUSeq[T float](s Surrogate, out, u, g []T, beta T, d, r []T) {
	n := len(out)
	u, g, d = u[:n], g[:n], d[:n]
	if r != nil {
		r = r[:n]
	}
	b := T(s.Beta)
	switch s.Shape {
	case SuperSpike, Asymptotic:
		num := T(1)
		if s.Shape == Asymptotic {
			num = b
		}
		if o, ok := as32(out); ok && r != nil {
			k := simdLen(len(o))
			u32, _ := as32(u)
			g32, _ := as32(g)
			d32, _ := as32(d)
			r32, _ := as32(r)
			lifGradUVecF32(o[:k], u32[:k], g32[:k], d32[:k], r32[:k], float32(num), float32(b), float32(beta))
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
	default:
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

// lifGradI writes (1 − r)·d + β·e; r may be nil (zero).
func lifGradISeq[T float](out, d []T, beta T, e, r []T) {
	if o, ok := as32(out); ok && r != nil {
		k := simdLen(len(o))
		d32, _ := as32(d)
		e32, _ := as32(e)
		r32, _ := as32(r)
		lifGradIVecF32(o[:k], d32[:k], e32[:k], r32[:k], float32(beta))
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

// lifGradUProj writes h(u − θ)·dS + β·(1 − r)·d with dS = gain·g·Wᵀ, one
// row at a time: g is [rows, cols], W [fanIn, cols], the rest [rows, fanIn].
// out may be d itself.
func lifGradUProj[T float](wk *Workers, s Surrogate, out, u, r, g, w, d []T, cols int, beta, gain T, axpy axpyFn[T]) {
	fanIn := len(w) / cols
	rows := len(u) / fanIn
	wt := make([]T, len(w)) // gain·Wᵀ, [cols, fanIn]
	for i := 0; i < fanIn; i++ {
		for k, v := range w[i*cols : (i+1)*cols] {
			wt[k*fanIn+i] = gain * v
		}
	}
	parallel(wk, rows, rows*fanIn*(cols+costly), func(lo, hi int) {
		ds := make([]T, fanIn)
		ks, cs := make([]int32, cols), make([]T, cols)
		for b := lo; b < hi; b++ {
			row := out[b*fanIn : (b+1)*fanIn]
			backProjRow(ds, g[b*cols:(b+1)*cols], wt, ks, cs, axpy)
			lifGradUSeq(s, row, u[b*fanIn:(b+1)*fanIn], ds, beta, d[b*fanIn:(b+1)*fanIn], r[b*fanIn:(b+1)*fanIn])
		}
	})
}

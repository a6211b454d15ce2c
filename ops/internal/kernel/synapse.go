package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
)

// The synaptic projections (lif.Synapses): rows of the weights gathered
// for the non-zero inputs, the fused weight gradient and the gradient that
// flows back into the inputs. Only the non-zero entries of an input cost
// work; an index (a CSR) of an input spares even the scan for them.

// Synapse writes β·c + gain·(x·W + r·V) for [rows, ·] row blocks; nil c, x
// or r are zero. xi and ri, when not nil, index x and r (which are then
// not read). out may be c itself.
func Synapse[T Float](wk *parallel.Workers, out []T, rows int, beta T, c []T, gain T, x []T, xi *CSR[T], w, r []T, ri *CSR[T], v []T) {
	addScaled := addScaledFor[T]()
	cols := len(out) / rows
	wk.For(rows, len(out)*2, func(lo, hi int) {
		o := out[lo*cols : hi*cols]
		switch {
		case c == nil:
			clear(o)
		case beta == 1:
			copy(o, c[lo*cols:hi*cols])
		default:
			Scale(o, beta, c[lo*cols:hi*cols])
		}
		gatherIndexed(o, gain, x, xi, w, lo, hi, cols, addScaled)
		gatherIndexed(o, gain, r, ri, v, lo, hi, cols, addScaled)
	})
}

// gatherIndexed adds gain·x[b,:]·W to the rows b = lo…hi−1 of a [·, cols]
// matrix, held from row lo on in o, through the index xi when there is
// one. Each element receives its terms in order of the entries of x.
func gatherIndexed[T Float](o []T, gain T, x []T, xi *CSR[T], w []T, lo, hi, cols int, addScaled addScaledFunc[T]) {
	if xi != nil {
		gatherEvents(o, w, gain, xi, lo, hi, cols, addScaled)
		return
	}
	for b := lo; b < hi; b++ {
		gatherRows(o[(b-lo)*cols:(b-lo+1)*cols], gain, x, w, b, cols, addScaled)
	}
}

// gatherEvents goes through the rows b = lo…hi−1 of xi and, for each of
// their entries (i, v) in order, adds gain·v·table[i,:] to row b of a
// [·, cols] matrix, held from row lo on in o.
func gatherEvents[T Float](o, table []T, gain T, xi *CSR[T], lo, hi, cols int, addScaled addScaledFunc[T]) {
	m := 0
	if o32, ok := as32(o); ok && simd.UseAVX {
		// All the rows in one call, eight columns at a time: most rows
		// have a few entries, and a call per row cost a third of the
		// time.
		m = cols &^ 7
		t32, _ := as32(table)
		v32, _ := as32(xi.Val)
		g32, _ := as32([]T{gain})
		simd.GatherEventRows(o32, t32, cols, xi.Start[lo:hi+1], xi.Col, v32, g32[0])
	}
	if m == cols {
		return
	}
	for b := lo; b < hi; b++ {
		ob := o[(b-lo)*cols+m : (b-lo+1)*cols]
		for k := xi.Start[b]; k < xi.Start[b+1]; k++ {
			i := int(xi.Col[k])
			addScaled(ob, gain*xi.Val[k], table[i*cols+m:(i+1)*cols])
		}
	}
}

// scatterEvents goes through the rows b of xi and, for each of their
// entries (i, v) in order, adds gain·v·src[b,:] to row i of a [·, cols]
// matrix whose rows first… table holds; the entries of other rows are
// skipped.
func scatterEvents[T Float](table []T, first int, src []T, gain T, xi *CSR[T], cols int, addScaled addScaledFunc[T]) {
	m := 0
	if s32, ok := as32(src); ok && simd.UseAVX {
		m = cols &^ 7 // as in gatherEvents
		t32, _ := as32(table)
		v32, _ := as32(xi.Val)
		g32, _ := as32([]T{gain})
		simd.ScatterEventRows(t32, first, s32, cols, xi.Start, xi.Col, v32, g32[0])
	}
	if m == cols {
		return
	}
	n := len(table) / cols
	for b := 0; b+1 < len(xi.Start); b++ {
		sb := src[b*cols+m : (b+1)*cols]
		for k := xi.Start[b]; k < xi.Start[b+1]; k++ {
			if i := int(xi.Col[k]) - first; uint(i) < uint(n) {
				addScaled(table[i*cols+m:(i+1)*cols], gain*xi.Val[k], sb)
			}
		}
	}
}

// gatherRows adds gain·x[b,:]·W to ob, one row of W per non-zero of x.
func gatherRows[T Float](ob []T, gain T, x, w []T, b, cols int, addScaled addScaledFunc[T]) {
	if x == nil {
		return
	}
	fanIn := len(w) / cols
	forEachNonzero(x[b*fanIn:(b+1)*fanIn], func(i int, val T) {
		addScaled(ob, gain*val, w[i*cols:(i+1)*cols])
	})
}

// WeightGrad writes gain·Σ_j x_jᵀ·g_j into out [fanIn, cols], with x_j
// [rows, fanIn] and g_j [rows, cols]: one row update per non-zero of x_j.
// xis[j], when not nil, indexes x_j (which is then not read).
//
// Several threads split the rows of out, not the time steps j: each
// element of out receives its terms in the same order (j, then the sample,
// then the entry) however many threads there are, so the result does not
// depend on their number, and one thread does no extra work. Each part
// skips the entries of the others' rows, which costs far less than the row
// updates.
func WeightGrad[T Float](w *parallel.Workers, out []T, fanIn, cols int, gain T, xs [][]T, xis []*CSR[T], gs [][]T) {
	addScaled := addScaledFor[T]()
	clear(out)
	if len(xs) == 0 {
		return
	}
	rows := len(gs[0]) / cols
	// One part per thread: each part goes through all the entries.
	parts := w.Limit()
	w.For(parts, len(xs)*rows*fanIn, func(plo, phi int) {
		lo, hi := plo*fanIn/parts, phi*fanIn/parts
		part := out[lo*cols : hi*cols]
		for j, x := range xs {
			g := gs[j]
			if xi := xis[j]; xi != nil {
				scatterEvents(part, lo, g, gain, xi, cols, addScaled)
				continue
			}
			for b := 0; b < rows; b++ {
				gb := g[b*cols : (b+1)*cols]
				forEachNonzero(x[b*fanIn+lo:b*fanIn+hi], func(i int, val T) {
					addScaled(part[i*cols:(i+1)*cols], gain*val, gb)
				})
			}
		}
	})
}

// BackProj writes gain·g·Wᵀ into out [rows, fanIn], with g [rows, cols]
// and W [fanIn, cols].
func BackProj[T Float](wk *parallel.Workers, out []T, gain T, g, w []T, cols int) {
	addScaled := addScaledFor[T]()
	wt, fanIn, stride := projT(w, cols, gain)
	rows := len(g) / cols
	wk.For(rows, rows*cols*fanIn, func(lo, hi int) {
		ks, cs := make([]int32, cols), make([]T, cols)
		var ds []T // a padded row, when stride > fanIn
		if stride > fanIn {
			ds = make([]T, stride)
		}
		for b := lo; b < hi; b++ {
			ob := out[b*fanIn : (b+1)*fanIn]
			if ds == nil {
				backProjRow(ob, g[b*cols:(b+1)*cols], wt, ks, cs, addScaled)
				continue
			}
			backProjRow(ds, g[b*cols:(b+1)*cols], wt, ks, cs, addScaled)
			copy(ob, ds)
		}
	})
}

// projT returns gain·Wᵀ, [cols, stride], for backProjRow, with W [fanIn,
// cols]. Where the AVX loops run, stride is fanIn rounded up to whole
// blocks of eight, the extra columns zero: backProjRow then leaves no
// elements to its Go tail, which cost more than the rest of a row of 100.
func projT[T Float](w []T, cols int, gain T) (wt []T, fanIn, stride int) {
	fanIn = len(w) / cols
	stride = fanIn
	if _, ok := as32(w); ok && simd.UseAVX {
		stride = ProjStride(fanIn)
	}
	wt = make([]T, cols*stride)
	ProjT(wt, w, cols, stride, gain)
	return wt, fanIn, stride
}

// ProjStride is the row length of a padded gain·Wᵀ for a fan-in: whole
// blocks of eight.
func ProjStride(fanIn int) int { return (fanIn + 7) &^ 7 }

// ProjT writes gain·Wᵀ into wt, [cols, stride], with W [len(w)/cols,
// cols]; the columns past the fan-in are zero.
func ProjT[T Float](wt, w []T, cols, stride int, gain T) {
	fanIn := len(w) / cols
	clear(wt[:cols*stride])
	for i := 0; i < fanIn; i++ {
		for k, v := range w[i*cols : (i+1)*cols] {
			wt[k*stride+i] = gain * v
		}
	}
}

// backProjRow writes Σ_k g[k]·wt[k,:] into ob over the non-zero g[k], in
// order: for each element the first term's product, then the other terms
// added one by one. ks and cs are scratch space of len(g).
func backProjRow[T Float](ob, g, wt []T, ks []int32, cs []T, addScaled addScaledFunc[T]) {
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
	if o32, ok := as32(ob); ok && simd.UseAVX {
		// The same operations in the same order, the sums kept in
		// registers eight elements at a time.
		m = n &^ 7
		w32, _ := as32(wt)
		c32, _ := as32(cs)
		simd.CombineRows(o32[:m], w32, n, ks, c32)
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
			Scale(ob[m:], cs[q], row)
		} else {
			addScaled(ob[m:], cs[q], row)
		}
	}
}

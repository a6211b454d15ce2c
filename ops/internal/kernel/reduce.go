package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
)

// The kernels that reduce many tensors of one shape, the time steps of a
// layer, to one (ops.Sum, ops.MaxOverTime).

// Sum writes the sum of xs into out.
func Sum[T Float](w *parallel.Workers, out []T, xs [][]T) {
	forElems(w, len(out), len(xs), func(lo, hi int) {
		copy(out[lo:hi], xs[0][lo:hi])
		for _, x := range xs[1:] {
			add(out[lo:hi], x[lo:hi])
		}
	})
}

// add adds x to dst with gonum's assembly axpy.
func add[T Float](dst, x []T) {
	switch d := any(dst).(type) {
	case []float32:
		blasImpl.Saxpy(len(d), 1, any(x).([]float32), 1, d, 1)
	case []float64:
		blasImpl.Daxpy(len(d), 1, any(x).([]float64), 1, d, 1)
	}
}

// SumCSR writes the sum of the [rows, len(out)/rows] matrices that cs
// index into out, in work proportional to their entries. Each element
// receives its terms in the same order as in Sum.
func SumCSR[T Float](out []T, cs []*CSR[T]) {
	rows := len(cs[0].Start) - 1
	cols := len(out) / rows
	clear(out)
	for _, c := range cs {
		AddCSR(out, c, cols)
	}
}

// MaxOverTime writes the running maximum over xs (or, with arg, the index
// of its winner), following gorgonia.MaxBetween: m ← x if x > m; the
// winner changes whenever the maximum does not compare equal to the one
// before. With zero, an all-zero tensor (index −1) comes before xs[0].
func MaxOverTime[T Float](out []T, zero, arg bool, xs [][]T) {
	var m []T
	var win []int32
	if arg {
		m = make([]T, len(out))
		win = make([]int32, len(out))
	} else {
		m = out
	}
	first := 0
	if zero {
		clear(m)
		for i := range win {
			win[i] = -1
		}
	} else {
		copy(m, xs[0])
		first = 1
	}
	for j := first; j < len(xs); j++ {
		x := xs[j][:len(m)]
		k := maxAVX(m, win, x, arg, j)
		if !arg {
			for i, v := range x[k:] {
				if v > m[k+i] {
					m[k+i] = v
				}
			}
			continue
		}
		win := win[:len(x)]
		for i := k; i < len(x); i++ {
			old := m[i]
			if x[i] > old {
				m[i] = x[i]
			}
			if !(old == m[i]) {
				win[i] = int32(j)
			}
		}
	}
	if arg {
		for i, w := range win {
			out[i] = T(w)
		}
	}
}

// maxAVX does MaxOverTime's step j with the AVX loops where it can, and
// returns how many elements it did (the branches of the Go loop mispredict
// on spiking data).
func maxAVX[T Float](m []T, win []int32, x []T, arg bool, j int) int {
	m32, ok := as32(m)
	if !ok || !simd.UseAVX {
		return 0
	}
	x32, _ := as32(x)
	if arg {
		simd.ArgMax(m32, win, x32, int32(j))
	} else {
		simd.Max(m32, x32)
	}
	return len(m) &^ 7
}

// Pick writes g where idx equals j, zero elsewhere: the gradient that
// MaxOverTime's winners receive.
func Pick[T Float](out, g, idx []T, j T) {
	g = g[:len(out)]
	idx = idx[:len(out)]
	k := 0
	if o32, ok := as32(out); ok && simd.UseAVX {
		g32, _ := as32(g)
		i32, _ := as32(idx)
		simd.Pick(o32, g32, i32, float32(j))
		k = len(out) &^ 7
	}
	for i := k; i < len(out); i++ {
		if idx[i] == j {
			out[i] = g[i]
		} else {
			out[i] = 0
		}
	}
}

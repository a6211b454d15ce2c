package kernel

import "github.com/spikegrad/spikegrad/ops/internal/parallel"

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
		if !arg {
			for i, v := range x {
				if v > m[i] {
					m[i] = v
				}
			}
			continue
		}
		win := win[:len(x)]
		for i, v := range x {
			old := m[i]
			if v > old {
				m[i] = v
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

// Pick writes g where idx equals j, zero elsewhere: the gradient that
// MaxOverTime's winners receive.
func Pick[T Float](out, g, idx []T, j T) {
	g = g[:len(out)]
	idx = idx[:len(out)]
	for i := range out {
		if idx[i] == j {
			out[i] = g[i]
		} else {
			out[i] = 0
		}
	}
}

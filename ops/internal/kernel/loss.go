package kernel

import "math"

// The losses: cross-entropy over a batch with padding rows, and the
// activity penalties. Their sums run in float64 whatever T is.

// CrossEntropy returns the mean over samples of the cross-entropy between
// softmax(z) and the targets y, both [rows, cols], with all-zero target
// rows left out (loss.SoftmaxCrossEntropy).
func CrossEntropy[T Float](z, y []T, cols int) float64 {
	loss, n := 0.0, 0.0
	for r := 0; r+cols <= len(z); r += cols {
		zr, yr := z[r:r+cols], y[r:r+cols]
		lse := logSumExp(zr)
		for c, t := range yr {
			if t != 0 {
				loss -= float64(t) * (float64(zr[c]) - lse)
				n += float64(t)
			}
		}
	}
	if n == 0 {
		return 0
	}
	return loss / n
}

// CrossEntropyGrad writes g times the gradient of CrossEntropy with
// respect to z: g/N · (Σ_c y_bc · softmax_bc − y_bc), N = Σ_bc y_bc.
func CrossEntropyGrad[T Float](out, z, y []T, cols int, g float64) {
	n := 0.0
	for _, t := range y {
		n += float64(t)
	}
	clear(out)
	if n == 0 {
		return
	}
	for r := 0; r+cols <= len(z); r += cols {
		zr, yr, or := z[r:r+cols], y[r:r+cols], out[r:r+cols]
		w := 0.0
		for _, t := range yr {
			w += float64(t)
		}
		if w == 0 {
			continue
		}
		lse := logSumExp(zr)
		for c := range zr {
			or[c] = T(g / n * (w*math.Exp(float64(zr[c])-lse) - float64(yr[c])))
		}
	}
}

// logSumExp returns log Σ exp z, computed stably.
func logSumExp[T Float](z []T) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, float64(v))
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}

// Penalty is an activity penalty on the rows x_b of a [rows, M] matrix,
// averaged over rows weighted by w_b:
//
//	lower: (λ/M) Σ_i relu(ν − x_bi)²    (loss.LowerBound)
//	upper: λ·relu((1/M) Σ_i x_bi − ν)^L  (loss.UpperBound)
type Penalty struct {
	Lower      bool
	Lambda, Nu float64
	Exp        int // L, for the upper bound
}

// Value returns the penalty of x [rows, cols], the row weights being the
// sums of the rows of w [rows, wcols].
func (p Penalty) Value(x, w []float64, cols, wcols int) float64 {
	rows := len(x) / cols
	rw, total := rowWeights(w, rows, wcols)
	if total == 0 {
		return 0
	}
	sum := 0.0
	for r := 0; r < rows; r++ {
		if rw[r] != 0 {
			sum += rw[r] * p.row(x[r*cols:(r+1)*cols])
		}
	}
	return sum / total
}

// Grad writes g times the gradient of Value with respect to x into out.
func (p Penalty) Grad(out, x, w []float64, cols, wcols int, g float64) {
	rows := len(x) / cols
	rw, total := rowWeights(w, rows, wcols)
	clear(out)
	if total == 0 {
		return
	}
	for r := 0; r < rows; r++ {
		if rw[r] != 0 {
			p.rowGrad(out[r*cols:(r+1)*cols], x[r*cols:(r+1)*cols], g*rw[r]/total)
		}
	}
}

// rowWeights returns each row's weight and their total.
func rowWeights(w []float64, rows, cols int) ([]float64, float64) {
	rw := make([]float64, rows)
	total := 0.0
	for r := range rw {
		for _, v := range w[r*cols : (r+1)*cols] {
			rw[r] += v
		}
		total += rw[r]
	}
	return rw, total
}

// row is the penalty of one row.
func (p Penalty) row(x []float64) float64 {
	M := float64(len(x))
	if p.Lower {
		s := 0.0
		for _, v := range x {
			d := math.Max(0, p.Nu-v)
			s += d * d
		}
		return p.Lambda / M * s
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	return p.Lambda * math.Pow(math.Max(0, mean/M-p.Nu), float64(p.Exp))
}

// rowGrad writes d row(x)/dx into g, scaled by s.
func (p Penalty) rowGrad(g, x []float64, s float64) {
	M := float64(len(x))
	if p.Lower {
		for i, v := range x {
			g[i] = -2 * s * p.Lambda / M * math.Max(0, p.Nu-v)
		}
		return
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	d := 0.0
	if excess := mean/M - p.Nu; excess > 0 {
		d = s * p.Lambda * float64(p.Exp) * math.Pow(excess, float64(p.Exp-1)) / M
	}
	for i := range g {
		g[i] = d
	}
}

// ToFloat64 returns x converted to float64.
func ToFloat64[T Float](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

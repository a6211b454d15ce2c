package randman

import (
	"math"
	"math/rand/v2"
)

// This file holds the random functions f_i of the manifolds and their
// evaluation, the inner loop of Generate.

// cutoffFor returns the number K of Fourier harmonics for spectral
// exponent alpha: the smallest k whose weight k^-alpha is at most 0.001, but
// no more than 1000. This is the cutoff of the reference implementation
// (github.com/fzenke/randman); for alpha ≤ 1 the cap of 1000 applies.
func cutoffFor(alpha float64) int {
	const prec, maxCutoff = 1e-3, 1000
	return int(min(math.Ceil(math.Pow(prec, -1/alpha)), maxCutoff))
}

// manifold holds the random functions f_i of one class in a form that is
// cheap to evaluate. For unit i, intrinsic axis j and harmonic k (stored at
// index (i·dim + j)·cutoff + k-1) it keeps
//
//	amp   = A_ijk / k^α
//	freq  = k·B_ijk
//	phase = C_ijk
//
// so that a term is amp·sin(2π(freq·x + phase)): one multiply-add and one
// sine of an angle measured in turns.
type manifold struct {
	units, dim, cutoff int
	amp, freq, phase   []float64
}

// newManifold draws the coefficients of units random functions on a
// dim-dimensional manifold with spectral exponent alpha from rng, in the
// order unit, axis, harmonic, and within each harmonic A, B, C.
func newManifold(rng *rand.Rand, units, dim int, alpha float64) *manifold {
	k := cutoffFor(alpha)
	n := units * dim * k
	m := &manifold{units: units, dim: dim, cutoff: k,
		amp: make([]float64, n), freq: make([]float64, n), phase: make([]float64, n)}
	for idx := range n {
		h := float64(idx%k + 1)
		m.amp[idx] = rng.Float64() / math.Pow(h, alpha)
		m.freq[idx] = h * rng.Float64()
		m.phase[idx] = rng.Float64()
	}
	return m
}

// eval returns f_unit(x) for one point x of length dim.
func (m *manifold) eval(unit int, x []float64) float64 {
	f := 1.0
	for j, xj := range x {
		lo := (unit*m.dim + j) * m.cutoff
		hi := lo + m.cutoff
		f *= fourierSeries(m.amp[lo:hi], m.freq[lo:hi], m.phase[lo:hi], xj)
	}
	return f
}

// evalAll returns f_unit at every point of points, row-major [n][dim].
func (m *manifold) evalAll(unit int, points []float64) []float64 {
	out := make([]float64, len(points)/m.dim)
	for s := range out {
		out[s] = m.eval(unit, points[s*m.dim:(s+1)*m.dim])
	}
	return out
}

// fourierSeries returns Σ_k amp[k]·sin(2π(freq[k]·x + phase[k])). It is the
// inner loop of the generator, evaluated Classes·Units·SamplesPerClass·Dim·K
// times (2·10⁸ for the default configuration), so it is kept free of bounds
// checks and uses sinTurns rather than math.Sin.
func fourierSeries(amp, freq, phase []float64, x float64) float64 {
	freq, phase = freq[:len(amp)], phase[:len(amp)]
	var sum float64
	for k, a := range amp {
		sum += a * sinTurns(freq[k]*x+phase[k])
	}
	return sum
}

// turnTableSize is the number of table angles of sinTurns. It is a power
// of two, so that table indices wrap around the circle by masking, and small
// enough that both tables (16 KiB) stay in the L1 cache.
const turnTableSize = 1 << 10

// turnSin and turnCos hold sin and cos of the angles i/turnTableSize turns.
var turnSin, turnCos = func() (s, c [turnTableSize]float64) {
	for i := range turnTableSize {
		s[i], c[i] = math.Sincos(2 * math.Pi * float64(i) / turnTableSize)
	}
	return s, c
}()

// sinTurns returns sin(2πt), the sine of an angle of t turns, for
// |t| < 2⁵³/turnTableSize.
//
// It is about three times faster than math.Sin, which would otherwise
// dominate the cost of generating randman data. The angle is split into a
// table angle a, a multiple of 1/turnTableSize turns, and a remainder b with
// |b| < 2π/turnTableSize ≈ 0.006 rad; then sin(a+b) = sin a·cos b + cos a·sin b
// with cos b and sin b from their Taylor series up to b⁴ and b⁵, whose
// truncation error is below 10⁻¹⁶. Splitting off whole table steps of t is
// exact, whereas math.Sin(2*math.Pi*t) first rounds 2πt, which for the
// t ≈ 1000 of high harmonics already costs about 10⁻¹².
func sinTurns(t float64) float64 {
	u := t * turnTableSize // exact: a power-of-two scaling
	n := int64(u)          // truncates towards zero, so b < 0 for u < 0, which works as well
	b := (u - float64(n)) * (2 * math.Pi / turnTableSize)
	i := n & (turnTableSize - 1)
	z := b * b
	cosB := 1 + z*(-1.0/2+z*(1.0/24))
	sinB := b * (1 + z*(-1.0/6+z*(1.0/120)))
	return turnSin[i]*cosB + turnCos[i]*sinB
}

package kernel

import (
	"github.com/spikegrad/spikegrad/ops/internal/simd"
	"github.com/spikegrad/spikegrad/surrogate"
)

// simdRowLoops are package simd's per-neuron loops (AVX, bit for bit the
// Go loops of the kernels) typed for the kernels' T. The adaptive and
// per-neuron decay kernels hand them a goroutine's rows at once where the
// operands are all there; absent (zero) operands, and T other than
// float32, take the Go loops.
type simdRowLoops[T Float] struct {
	addProduct, sub, mul, complementMul, negMul func(dst, p, x []T)
	adapt                                       func(out, rho, a, b, w, u, s []T)
	adaptiveMembrane                            func(out, alpha, u, r, x, w []T)
	alphaGrad                                   func(dst, du, u, r, x, w []T)
	adaptationGrad                              func(out, alpha, rho, g, e []T)
	adaptiveGradU                               func(out, u, g, d, e, alpha, a, b []T, num, steep T)
	membraneDecay                               func(out, beta, u, i, r []T)
	integrateDecay                              func(out, beta, u, i []T)
	lifGradIDecay                               func(out, d, betaMem, betaSyn, e, r []T)
	addDecayed                                  func(out, h, beta, d, r []T)
	addDecayGrad                                func(dst, du, u, i, r []T)
}

var simdRows32 = &simdRowLoops[float32]{
	addProduct: simd.AddProduct, sub: simd.Sub, mul: simd.Mul,
	complementMul: simd.ComplementMul, negMul: simd.NegMul,
	adapt: simd.Adapt, adaptiveMembrane: simd.AdaptiveMembrane, alphaGrad: simd.AlphaGrad,
	adaptationGrad: simd.AdaptationGrad, adaptiveGradU: simd.AdaptiveGradU,
	membraneDecay: simd.MembraneDecay, integrateDecay: simd.IntegrateDecay,
	lifGradIDecay: simd.LIFGradIDecay, addDecayed: simd.AddDecayed, addDecayGrad: simd.AddDecayGrad,
}

// simdRows returns the loops for T, nil unless T is float32.
func simdRows[T Float]() *simdRowLoops[T] {
	l, _ := any(simdRows32).(*simdRowLoops[T])
	return l
}

// rationalSurrogate returns num and b of the surrogates h(x) = num/q²,
// q = b·|x| + 1 (SuperSpike: num = 1; asymptotic: num = b), whose loops
// package simd has, and false for the other shapes.
func rationalSurrogate[T Float](s surrogate.Surrogate) (num, b T, ok bool) {
	b = T(s.Beta)
	switch s.Shape {
	case surrogate.SuperSpike:
		return 1, b, true
	case surrogate.Asymptotic:
		return b, b, true
	}
	return 0, 0, false
}

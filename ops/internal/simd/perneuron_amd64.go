//go:build amd64 && !purego

package simd

// The loops of perneuron.go: the AVX loops of perneuron_amd64.s take the
// whole blocks of eight, the Go loops the rest. Slicing every operand to
// the AVX part first panics on a short one, which the assembly would read
// past.

// AddProduct adds p·x to dst.
func AddProduct(dst, p, x []float32) {
	if m := avxLen(len(dst)); m > 0 {
		addProductAVX(dst[:m], p[:m], x[:m])
		dst, p, x = dst[m:], p[m:], x[m:]
	}
	addProductGo(dst, p, x)
}

// Sub writes x − y.
func Sub(dst, x, y []float32) {
	if m := avxLen(len(dst)); m > 0 {
		subAVX(dst[:m], x[:m], y[:m])
		dst, x, y = dst[m:], x[m:], y[m:]
	}
	subGo(dst, x, y)
}

// Mul writes p·x.
func Mul(dst, p, x []float32) {
	if m := avxLen(len(dst)); m > 0 {
		mulAVX(dst[:m], p[:m], x[:m])
		dst, p, x = dst[m:], p[m:], x[m:]
	}
	mulGo(dst, p, x)
}

// ComplementMul writes (1 − p)·x.
func ComplementMul(dst, p, x []float32) {
	if m := avxLen(len(dst)); m > 0 {
		complementMulAVX(dst[:m], p[:m], x[:m])
		dst, p, x = dst[m:], p[m:], x[m:]
	}
	complementMulGo(dst, p, x)
}

// NegMul writes −p·x.
func NegMul(dst, p, x []float32) {
	if m := avxLen(len(dst)); m > 0 {
		negMulAVX(dst[:m], p[:m], x[:m])
		dst, p, x = dst[m:], p[m:], x[m:]
	}
	negMulGo(dst, p, x)
}

// Adapt writes ((0 + ρ·w) + a·u) + b·s: the sum starts from +0, as the
// kernel's row does.
func Adapt(out, rho, a, b, w, u, s []float32) {
	if m := avxLen(len(out)); m > 0 {
		adaptAVX(out[:m], rho[:m], a[:m], b[:m], w[:m], u[:m], s[:m])
		out, rho, a, b, w, u, s = out[m:], rho[m:], a[m:], b[m:], w[m:], u[m:], s[m:]
	}
	adaptGo(out, rho, a, b, w, u, s)
}

// AdaptiveMembrane writes α·(u − r) + (1 − α)·(x − w).
func AdaptiveMembrane(out, alpha, u, r, x, w []float32) {
	if m := avxLen(len(out)); m > 0 {
		adaptiveMembraneAVX(out[:m], alpha[:m], u[:m], r[:m], x[:m], w[:m])
		out, alpha, u, r, x, w = out[m:], alpha[m:], u[m:], r[m:], x[m:], w[m:]
	}
	adaptiveMembraneGo(out, alpha, u, r, x, w)
}

// AdaptationGrad writes −(1 − α)·g + ρ·e.
func AdaptationGrad(out, alpha, rho, g, e []float32) {
	if m := avxLen(len(out)); m > 0 {
		adaptationGradAVX(out[:m], alpha[:m], rho[:m], g[:m], e[:m])
		out, alpha, rho, g, e = out[m:], alpha[m:], rho[m:], g[m:], e[m:]
	}
	adaptationGradGo(out, alpha, rho, g, e)
}

// AdaptiveGradU writes ((g + b·e)·(num/(q·q)) + α·d) + a·e with q =
// steep·|u − 1| + 1: the adaptive LIF's dU[n] with the SuperSpike
// (num = 1) or asymptotic (num = steep) surrogate.
func AdaptiveGradU(out, u, g, d, e, alpha, a, b []float32, num, steep float32) {
	if m := avxLen(len(out)); m > 0 {
		adaptiveGradUAVX(out[:m], u[:m], g[:m], d[:m], e[:m], alpha[:m], a[:m], b[:m], num, steep)
		out, u, g, d, e, alpha, a, b = out[m:], u[m:], g[m:], d[m:], e[m:], alpha[m:], a[m:], b[m:]
	}
	adaptiveGradUGo(out, u, g, d, e, alpha, a, b, num, steep)
}

// AlphaGrad adds du·(u − r − x + w) to dst.
func AlphaGrad(dst, du, u, r, x, w []float32) {
	if m := avxLen(len(dst)); m > 0 {
		alphaGradAVX(dst[:m], du[:m], u[:m], r[:m], x[:m], w[:m])
		dst, du, u, r, x, w = dst[m:], du[m:], u[m:], r[m:], x[m:], w[m:]
	}
	alphaGradGo(dst, du, u, r, x, w)
}

// MembraneDecay writes (β·u + (1 − β)·i)·(1 − r).
func MembraneDecay(out, beta, u, i, r []float32) {
	if m := avxLen(len(out)); m > 0 {
		membraneDecayAVX(out[:m], beta[:m], u[:m], i[:m], r[:m])
		out, beta, u, i, r = out[m:], beta[m:], u[m:], i[m:], r[m:]
	}
	membraneDecayGo(out, beta, u, i, r)
}

// IntegrateDecay writes β·u + (1 − β)·i: MembraneDecay without a reset.
func IntegrateDecay(out, beta, u, i []float32) {
	if m := avxLen(len(out)); m > 0 {
		integrateDecayAVX(out[:m], beta[:m], u[:m], i[:m])
		out, beta, u, i = out[m:], beta[m:], u[m:], i[m:]
	}
	integrateDecayGo(out, beta, u, i)
}

// LIFGradIDecay writes (1 − β_mem)·d·(1 − r) + β_syn·e.
func LIFGradIDecay(out, d, betaMem, betaSyn, e, r []float32) {
	if m := avxLen(len(out)); m > 0 {
		lifGradIDecayAVX(out[:m], d[:m], betaMem[:m], betaSyn[:m], e[:m], r[:m])
		out, d, betaMem, betaSyn, e, r = out[m:], d[m:], betaMem[m:], betaSyn[m:], e[m:], r[m:]
	}
	lifGradIDecayGo(out, d, betaMem, betaSyn, e, r)
}

// AddDecayed writes h + β·(1 − r)·d.
func AddDecayed(out, h, beta, d, r []float32) {
	if m := avxLen(len(out)); m > 0 {
		addDecayedAVX(out[:m], h[:m], beta[:m], d[:m], r[:m])
		out, h, beta, d, r = out[m:], h[m:], beta[m:], d[m:], r[m:]
	}
	addDecayedGo(out, h, beta, d, r)
}

// AddDecayGrad adds du·(1 − r)·(u − i) to dst.
func AddDecayGrad(dst, du, u, i, r []float32) {
	if m := avxLen(len(dst)); m > 0 {
		addDecayGradAVX(dst[:m], du[:m], u[:m], i[:m], r[:m])
		dst, du, u, i, r = dst[m:], du[m:], u[m:], i[m:], r[m:]
	}
	addDecayGradGo(dst, du, u, i, r)
}

// The loops of perneuron_amd64.s, over len(dst) or len(out), a multiple
// of 8; the other slices are at least as long.

//go:noescape
func addProductAVX(dst, p, x []float32)

//go:noescape
func subAVX(dst, x, y []float32)

//go:noescape
func mulAVX(dst, p, x []float32)

//go:noescape
func complementMulAVX(dst, p, x []float32)

//go:noescape
func negMulAVX(dst, p, x []float32)

//go:noescape
func adaptAVX(out, rho, a, b, w, u, s []float32)

//go:noescape
func adaptiveMembraneAVX(out, alpha, u, r, x, w []float32)

//go:noescape
func adaptationGradAVX(out, alpha, rho, g, e []float32)

//go:noescape
func adaptiveGradUAVX(out, u, g, d, e, alpha, a, b []float32, num, steep float32)

//go:noescape
func alphaGradAVX(dst, du, u, r, x, w []float32)

//go:noescape
func membraneDecayAVX(out, beta, u, i, r []float32)

//go:noescape
func integrateDecayAVX(out, beta, u, i []float32)

//go:noescape
func lifGradIDecayAVX(out, d, betaMem, betaSyn, e, r []float32)

//go:noescape
func addDecayedAVX(out, h, beta, d, r []float32)

//go:noescape
func addDecayGradAVX(dst, du, u, i, r []float32)

//go:build amd64 && !purego

package simd

// The loops of perneuron.go. Each runs over spans of its rows (rowSpan):
// the AVX loop of perneuron_amd64.s takes all rows at once when they are
// whole blocks of eight, or else each row's whole blocks, and the Go loop
// the rest of each row (all rows without AVX). Slicing every operand to
// its span first panics on a short one, which the assembly would read
// past.

// rowSpan returns the span from element k0 of n in rows of cols: it ends
// at k1, and the AVX loop takes its first avx elements with the first m
// parameters (m: a multiple of 8), the Go loop the rest with the others.
func rowSpan(n, cols, k0 int) (k1, avx, m int) {
	switch {
	case !UseAVX:
		return n, 0, 0
	case cols%8 == 0:
		return n, n - k0, cols
	}
	m = cols &^ 7
	return k0 + cols, m, m
}

// AddProduct adds p·x to dst row by row: p and x hold rows of len(dst).
func AddProduct(dst, p, x []float32) {
	n, cols := len(p), len(dst)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			addProductAVX(dst[:m], p[k0:k0+avx], x[k0:k0+avx])
		}
		addProductGo(dst[m:], p[k0+avx:k1], x[k0+avx:k1])
	}
}

// Sub writes x − y.
func Sub(dst, x, y []float32) {
	m := avxLen(len(dst))
	if m > 0 {
		subAVX(dst[:m], x[:m], y[:m])
	}
	subGo(dst[m:], x[m:], y[m:])
}

// Mul writes p·x.
func Mul(dst, p, x []float32) {
	n, cols := len(dst), len(p)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			mulAVX(dst[k0:k0+avx], p[:m], x[k0:k0+avx])
		}
		mulGo(dst[k0+avx:k1], p[m:], x[k0+avx:k1])
	}
}

// ComplementMul writes (1 − p)·x.
func ComplementMul(dst, p, x []float32) {
	n, cols := len(dst), len(p)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			complementMulAVX(dst[k0:k0+avx], p[:m], x[k0:k0+avx])
		}
		complementMulGo(dst[k0+avx:k1], p[m:], x[k0+avx:k1])
	}
}

// NegMul writes −p·x.
func NegMul(dst, p, x []float32) {
	n, cols := len(dst), len(p)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			negMulAVX(dst[k0:k0+avx], p[:m], x[k0:k0+avx])
		}
		negMulGo(dst[k0+avx:k1], p[m:], x[k0+avx:k1])
	}
}

// Adapt writes ((0 + ρ·w) + a·u) + b·s: the sum starts from +0, as the
// kernel's row does.
func Adapt(out, rho, a, b, w, u, s []float32) {
	n, cols := len(out), len(rho)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			adaptAVX(out[k0:k0+avx], rho[:m], a[:m], b[:m], w[k0:k0+avx], u[k0:k0+avx], s[k0:k0+avx])
		}
		adaptGo(out[k0+avx:k1], rho[m:], a[m:], b[m:], w[k0+avx:k1], u[k0+avx:k1], s[k0+avx:k1])
	}
}

// AdaptiveMembrane writes α·(u − r) + (1 − α)·(x − w).
func AdaptiveMembrane(out, alpha, u, r, x, w []float32) {
	n, cols := len(out), len(alpha)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			adaptiveMembraneAVX(out[k0:k0+avx], alpha[:m], u[k0:k0+avx], r[k0:k0+avx], x[k0:k0+avx], w[k0:k0+avx])
		}
		adaptiveMembraneGo(out[k0+avx:k1], alpha[m:], u[k0+avx:k1], r[k0+avx:k1], x[k0+avx:k1], w[k0+avx:k1])
	}
}

// AdaptationGrad writes −(1 − α)·g + ρ·e.
func AdaptationGrad(out, alpha, rho, g, e []float32) {
	n, cols := len(out), len(alpha)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			adaptationGradAVX(out[k0:k0+avx], alpha[:m], rho[:m], g[k0:k0+avx], e[k0:k0+avx])
		}
		adaptationGradGo(out[k0+avx:k1], alpha[m:], rho[m:], g[k0+avx:k1], e[k0+avx:k1])
	}
}

// AdaptiveGradU writes ((g + b·e)·(num/(q·q)) + α·d) + a·e with q =
// steep·|u − 1| + 1: the adaptive LIF's dU[n] with the SuperSpike
// (num = 1) or asymptotic (num = steep) surrogate.
func AdaptiveGradU(out, u, g, d, e, alpha, a, b []float32, num, steep float32) {
	n, cols := len(out), len(alpha)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			adaptiveGradUAVX(out[k0:k0+avx], u[k0:k0+avx], g[k0:k0+avx], d[k0:k0+avx], e[k0:k0+avx], alpha[:m], a[:m], b[:m], num, steep)
		}
		adaptiveGradUGo(out[k0+avx:k1], u[k0+avx:k1], g[k0+avx:k1], d[k0+avx:k1], e[k0+avx:k1], alpha[m:], a[m:], b[m:], num, steep)
	}
}

// AlphaGrad adds du·(u − r − x + w) to dst row by row: the others hold
// rows of len(dst).
func AlphaGrad(dst, du, u, r, x, w []float32) {
	n, cols := len(du), len(dst)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			alphaGradAVX(dst[:m], du[k0:k0+avx], u[k0:k0+avx], r[k0:k0+avx], x[k0:k0+avx], w[k0:k0+avx])
		}
		alphaGradGo(dst[m:], du[k0+avx:k1], u[k0+avx:k1], r[k0+avx:k1], x[k0+avx:k1], w[k0+avx:k1])
	}
}

// MembraneDecay writes (β·u + (1 − β)·i)·(1 − r).
func MembraneDecay(out, beta, u, i, r []float32) {
	n, cols := len(out), len(beta)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			membraneDecayAVX(out[k0:k0+avx], beta[:m], u[k0:k0+avx], i[k0:k0+avx], r[k0:k0+avx])
		}
		membraneDecayGo(out[k0+avx:k1], beta[m:], u[k0+avx:k1], i[k0+avx:k1], r[k0+avx:k1])
	}
}

// IntegrateDecay writes β·u + (1 − β)·i: MembraneDecay without a reset.
func IntegrateDecay(out, beta, u, i []float32) {
	n, cols := len(out), len(beta)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			integrateDecayAVX(out[k0:k0+avx], beta[:m], u[k0:k0+avx], i[k0:k0+avx])
		}
		integrateDecayGo(out[k0+avx:k1], beta[m:], u[k0+avx:k1], i[k0+avx:k1])
	}
}

// LIFGradIDecay writes (1 − β_mem)·d·(1 − r) + β_syn·e.
func LIFGradIDecay(out, d, betaMem, betaSyn, e, r []float32) {
	n, cols := len(out), len(betaMem)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			lifGradIDecayAVX(out[k0:k0+avx], d[k0:k0+avx], betaMem[:m], betaSyn[:m], e[k0:k0+avx], r[k0:k0+avx])
		}
		lifGradIDecayGo(out[k0+avx:k1], d[k0+avx:k1], betaMem[m:], betaSyn[m:], e[k0+avx:k1], r[k0+avx:k1])
	}
}

// AddDecayed writes h + β·(1 − r)·d.
func AddDecayed(out, h, beta, d, r []float32) {
	n, cols := len(out), len(beta)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			addDecayedAVX(out[k0:k0+avx], h[k0:k0+avx], beta[:m], d[k0:k0+avx], r[k0:k0+avx])
		}
		addDecayedGo(out[k0+avx:k1], h[k0+avx:k1], beta[m:], d[k0+avx:k1], r[k0+avx:k1])
	}
}

// AddDecayGrad adds du·(1 − r)·(u − i) to dst row by row: the others
// hold rows of len(dst).
func AddDecayGrad(dst, du, u, i, r []float32) {
	n, cols := len(du), len(dst)
	mustRows(n, cols)
	for k0, k1 := 0, 0; k0 < n; k0 = k1 {
		var avx, m int
		k1, avx, m = rowSpan(n, cols, k0)
		if avx > 0 {
			addDecayGradAVX(dst[:m], du[k0:k0+avx], u[k0:k0+avx], i[k0:k0+avx], r[k0:k0+avx])
		}
		addDecayGradGo(dst[m:], du[k0+avx:k1], u[k0+avx:k1], i[k0+avx:k1], r[k0+avx:k1])
	}
}

// The loops of perneuron_amd64.s, over len(out) (or, for those that add to
// dst, the other operands' length) elements in rows of the parameters' (or
// dst's) length, a multiple of 8.

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

package simd

// The loops of the layers whose neurons each have their own parameters
// (the adaptive LIF's and the per-neuron decays' kernels): α, β, ρ, a, b
// and p are vectors over a row, one value per neuron, and the other slices
// rows as long as out. perneuron_amd64.s holds them in AVX; these Go
// loops do what that leaves (the last len(out) mod 8 elements, or all of
// them without AVX), and all of it in the purego build.
//
// Each writes its formula one element at a time, the operations in the
// order written (left to right, each product rounded), as the Go loops of
// package kernel do, so the AVX loops equal them bit for bit. Their
// operands are never nil: the kernels keep the cases of absent (zero)
// operands in Go.

func addProductGo(dst, p, x []float32) {
	p, x = p[:len(dst)], x[:len(dst)]
	for j := range dst {
		dst[j] += p[j] * x[j]
	}
}

func subGo(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for j := range dst {
		dst[j] = x[j] - y[j]
	}
}

func mulGo(dst, p, x []float32) {
	p, x = p[:len(dst)], x[:len(dst)]
	for j := range dst {
		dst[j] = p[j] * x[j]
	}
}

func complementMulGo(dst, p, x []float32) {
	p, x = p[:len(dst)], x[:len(dst)]
	for j := range dst {
		dst[j] = (1 - p[j]) * x[j]
	}
}

func negMulGo(dst, p, x []float32) {
	p, x = p[:len(dst)], x[:len(dst)]
	for j := range dst {
		dst[j] = -p[j] * x[j]
	}
}

func adaptGo(out, rho, a, b, w, u, s []float32) {
	n := len(out)
	rho, a, b, w, u, s = rho[:n], a[:n], b[:n], w[:n], u[:n], s[:n]
	for j := range out {
		var acc float32 // +0: the kernel's sum starts from a cleared row
		acc += rho[j] * w[j]
		acc += a[j] * u[j]
		acc += b[j] * s[j]
		out[j] = acc
	}
}

func adaptiveMembraneGo(out, alpha, u, r, x, w []float32) {
	n := len(out)
	alpha, u, r, x, w = alpha[:n], u[:n], r[:n], x[:n], w[:n]
	for j, al := range alpha {
		out[j] = al*(u[j]-r[j]) + (1-al)*(x[j]-w[j])
	}
}

func adaptationGradGo(out, alpha, rho, g, e []float32) {
	n := len(out)
	alpha, rho, g, e = alpha[:n], rho[:n], g[:n], e[:n]
	for j, al := range alpha {
		out[j] = -(1-al)*g[j] + rho[j]*e[j]
	}
}

func adaptiveGradUGo(out, u, g, d, e, alpha, a, b []float32, num, steep float32) {
	n := len(out)
	u, g, d, e, alpha, a, b = u[:n], g[:n], d[:n], e[:n], alpha[:n], a[:n], b[:n]
	for j, v := range u {
		ds := g[j] + b[j]*e[j]
		x := v - 1
		if x < 0 {
			x = -x
		}
		q := steep*x + 1
		h := ds * (num / (q * q))
		h += alpha[j] * d[j]
		h += a[j] * e[j]
		out[j] = h
	}
}

func alphaGradGo(dst, du, u, r, x, w []float32) {
	n := len(dst)
	du, u, r, x, w = du[:n], u[:n], r[:n], x[:n], w[:n]
	for j := range dst {
		dst[j] += du[j] * (u[j] - r[j] - x[j] + w[j])
	}
}

func membraneDecayGo(out, beta, u, i, r []float32) {
	n := len(out)
	beta, u, i, r = beta[:n], u[:n], i[:n], r[:n]
	for j, b := range beta {
		out[j] = (b*u[j] + (1-b)*i[j]) * (1 - r[j])
	}
}

func integrateDecayGo(out, beta, u, i []float32) {
	n := len(out)
	beta, u, i = beta[:n], u[:n], i[:n]
	for j, b := range beta {
		out[j] = b*u[j] + (1-b)*i[j]
	}
}

func lifGradIDecayGo(out, d, betaMem, betaSyn, e, r []float32) {
	n := len(out)
	d, betaMem, betaSyn, e, r = d[:n], betaMem[:n], betaSyn[:n], e[:n], r[:n]
	for j, bm := range betaMem {
		out[j] = (1-bm)*d[j]*(1-r[j]) + betaSyn[j]*e[j]
	}
}

func addDecayedGo(out, h, beta, d, r []float32) {
	n := len(out)
	h, beta, d, r = h[:n], beta[:n], d[:n], r[:n]
	for j, hv := range h {
		out[j] = hv + beta[j]*(1-r[j])*d[j]
	}
}

func addDecayGradGo(dst, du, u, i, r []float32) {
	n := len(dst)
	du, u, i, r = du[:n], u[:n], i[:n], r[:n]
	for j, g := range du {
		dst[j] += g * (1 - r[j]) * (u[j] - i[j])
	}
}

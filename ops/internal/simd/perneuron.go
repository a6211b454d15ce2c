package simd

import "fmt"

// The loops of the layers whose neurons each have their own parameters
// (the adaptive LIF's and the per-neuron decays' kernels) work on rows of
// cols neurons: the parameters α, β, ρ, a, b and p hold cols values, one
// per neuron, and the other operands hold rows of cols each, len(out) of
// them; a loop that adds to dst sums its rows' terms into dst, of cols
// values, row after row. perneuron_amd64.s holds them in AVX, for rows of
// whole blocks of eight; these Go loops do the other rows' last cols mod 8
// elements (or all without AVX), and all in the purego build.
//
// Each writes its formula one element at a time, the operations in the
// order written (left to right, each product rounded), as the Go loops of
// package kernel do, so the AVX loops equal them bit for bit. Their
// operands are never nil: the kernels keep the cases of absent (zero)
// operands in Go.

func addProductGo(dst, p, x []float32) {
	cols := len(dst)
	for k0 := 0; k0 < len(p); k0 += cols {
		pr, xr := p[k0:k0+cols], x[k0:k0+cols]
		for j := range dst {
			dst[j] += pr[j] * xr[j]
		}
	}
}

func subGo(dst, x, y []float32) {
	x, y = x[:len(dst)], y[:len(dst)]
	for j := range dst {
		dst[j] = x[j] - y[j]
	}
}

func mulGo(dst, p, x []float32) {
	cols := len(p)
	for k0 := 0; k0 < len(dst); k0 += cols {
		o, xr := dst[k0:k0+cols], x[k0:k0+cols]
		for j, v := range p {
			o[j] = v * xr[j]
		}
	}
}

func complementMulGo(dst, p, x []float32) {
	cols := len(p)
	for k0 := 0; k0 < len(dst); k0 += cols {
		o, xr := dst[k0:k0+cols], x[k0:k0+cols]
		for j, v := range p {
			o[j] = (1 - v) * xr[j]
		}
	}
}

func negMulGo(dst, p, x []float32) {
	cols := len(p)
	for k0 := 0; k0 < len(dst); k0 += cols {
		o, xr := dst[k0:k0+cols], x[k0:k0+cols]
		for j, v := range p {
			o[j] = -v * xr[j]
		}
	}
}

func adaptGo(out, rho, a, b, w, u, s []float32) {
	cols := len(rho)
	a, b = a[:cols], b[:cols]
	for k0 := 0; k0 < len(out); k0 += cols {
		o, wr, ur, sr := out[k0:k0+cols], w[k0:k0+cols], u[k0:k0+cols], s[k0:k0+cols]
		for j, r := range rho {
			var acc float32 // +0: the kernel's sum starts from a cleared row
			acc += r * wr[j]
			acc += a[j] * ur[j]
			acc += b[j] * sr[j]
			o[j] = acc
		}
	}
}

func adaptiveMembraneGo(out, alpha, u, r, x, w []float32) {
	cols := len(alpha)
	for k0 := 0; k0 < len(out); k0 += cols {
		o, ur, rr, xr, wr := out[k0:k0+cols], u[k0:k0+cols], r[k0:k0+cols], x[k0:k0+cols], w[k0:k0+cols]
		for j, al := range alpha {
			o[j] = al*(ur[j]-rr[j]) + (1-al)*(xr[j]-wr[j])
		}
	}
}

func adaptationGradGo(out, alpha, rho, g, e []float32) {
	cols := len(alpha)
	rho = rho[:cols]
	for k0 := 0; k0 < len(out); k0 += cols {
		o, gr, er := out[k0:k0+cols], g[k0:k0+cols], e[k0:k0+cols]
		for j, al := range alpha {
			o[j] = -(1-al)*gr[j] + rho[j]*er[j]
		}
	}
}

func adaptiveGradUGo(out, u, g, d, e, alpha, a, b []float32, num, steep float32) {
	cols := len(alpha)
	a, b = a[:cols], b[:cols]
	for k0 := 0; k0 < len(out); k0 += cols {
		o, ur, gr, dr, er := out[k0:k0+cols], u[k0:k0+cols], g[k0:k0+cols], d[k0:k0+cols], e[k0:k0+cols]
		for j, al := range alpha {
			ds := gr[j] + b[j]*er[j]
			x := ur[j] - 1
			if x < 0 {
				x = -x
			}
			q := steep*x + 1
			h := ds * (num / (q * q))
			h += al * dr[j]
			h += a[j] * er[j]
			o[j] = h
		}
	}
}

func alphaGradGo(dst, du, u, r, x, w []float32) {
	cols := len(dst)
	for k0 := 0; k0 < len(du); k0 += cols {
		dr, ur, rr, xr, wr := du[k0:k0+cols], u[k0:k0+cols], r[k0:k0+cols], x[k0:k0+cols], w[k0:k0+cols]
		for j := range dst {
			dst[j] += dr[j] * (ur[j] - rr[j] - xr[j] + wr[j])
		}
	}
}

func membraneDecayGo(out, beta, u, i, r []float32) {
	cols := len(beta)
	for k0 := 0; k0 < len(out); k0 += cols {
		o, ur, ir, rr := out[k0:k0+cols], u[k0:k0+cols], i[k0:k0+cols], r[k0:k0+cols]
		for j, b := range beta {
			o[j] = (b*ur[j] + (1-b)*ir[j]) * (1 - rr[j])
		}
	}
}

func integrateDecayGo(out, beta, u, i []float32) {
	cols := len(beta)
	for k0 := 0; k0 < len(out); k0 += cols {
		o, ur, ir := out[k0:k0+cols], u[k0:k0+cols], i[k0:k0+cols]
		for j, b := range beta {
			o[j] = b*ur[j] + (1-b)*ir[j]
		}
	}
}

func lifGradIDecayGo(out, d, betaMem, betaSyn, e, r []float32) {
	cols := len(betaMem)
	betaSyn = betaSyn[:cols]
	for k0 := 0; k0 < len(out); k0 += cols {
		o, dr, er, rr := out[k0:k0+cols], d[k0:k0+cols], e[k0:k0+cols], r[k0:k0+cols]
		for j, bm := range betaMem {
			o[j] = (1-bm)*dr[j]*(1-rr[j]) + betaSyn[j]*er[j]
		}
	}
}

func addDecayedGo(out, h, beta, d, r []float32) {
	cols := len(beta)
	for k0 := 0; k0 < len(out); k0 += cols {
		o, hr, dr, rr := out[k0:k0+cols], h[k0:k0+cols], d[k0:k0+cols], r[k0:k0+cols]
		for j, b := range beta {
			o[j] = hr[j] + b*(1-rr[j])*dr[j]
		}
	}
}

func addDecayGradGo(dst, du, u, i, r []float32) {
	cols := len(dst)
	for k0 := 0; k0 < len(du); k0 += cols {
		dr, ur, ir, rr := du[k0:k0+cols], u[k0:k0+cols], i[k0:k0+cols], r[k0:k0+cols]
		for j := range dst {
			dst[j] += dr[j] * (1 - rr[j]) * (ur[j] - ir[j])
		}
	}
}

// mustRows panics unless n elements are whole rows of cols: the loops
// would run past their operands, or forever, otherwise.
func mustRows(n, cols int) {
	if n > 0 && (cols == 0 || n%cols != 0) {
		panic(fmt.Sprintf("simd: %d elements are not rows of %d", n, cols))
	}
}

//go:build !amd64 || purego

package simd

// The loops of perneuron.go, all in Go here. See perneuron_amd64.go for
// what they write.

func AddProduct(dst, p, x []float32) {
	mustRows(len(p), len(dst))
	addProductGo(dst, p, x)
}

func Sub(dst, x, y []float32) { subGo(dst, x, y) }

func Mul(dst, p, x []float32) {
	mustRows(len(dst), len(p))
	mulGo(dst, p, x)
}

func ComplementMul(dst, p, x []float32) {
	mustRows(len(dst), len(p))
	complementMulGo(dst, p, x)
}

func NegMul(dst, p, x []float32) {
	mustRows(len(dst), len(p))
	negMulGo(dst, p, x)
}

func Adapt(out, rho, a, b, w, u, s []float32) {
	mustRows(len(out), len(rho))
	adaptGo(out, rho, a, b, w, u, s)
}

func AdaptiveMembrane(out, alpha, u, r, x, w []float32) {
	mustRows(len(out), len(alpha))
	adaptiveMembraneGo(out, alpha, u, r, x, w)
}

func AdaptationGrad(out, alpha, rho, g, e []float32) {
	mustRows(len(out), len(alpha))
	adaptationGradGo(out, alpha, rho, g, e)
}

func AdaptiveGradU(out, u, g, d, e, alpha, a, b []float32, num, steep float32) {
	mustRows(len(out), len(alpha))
	adaptiveGradUGo(out, u, g, d, e, alpha, a, b, num, steep)
}

func AlphaGrad(dst, du, u, r, x, w []float32) {
	mustRows(len(du), len(dst))
	alphaGradGo(dst, du, u, r, x, w)
}

func MembraneDecay(out, beta, u, i, r []float32) {
	mustRows(len(out), len(beta))
	membraneDecayGo(out, beta, u, i, r)
}

func IntegrateDecay(out, beta, u, i []float32) {
	mustRows(len(out), len(beta))
	integrateDecayGo(out, beta, u, i)
}

func LIFGradIDecay(out, d, betaMem, betaSyn, e, r []float32) {
	mustRows(len(out), len(betaMem))
	lifGradIDecayGo(out, d, betaMem, betaSyn, e, r)
}

func AddDecayed(out, h, beta, d, r []float32) {
	mustRows(len(out), len(beta))
	addDecayedGo(out, h, beta, d, r)
}

func AddDecayGrad(dst, du, u, i, r []float32) {
	mustRows(len(du), len(dst))
	addDecayGradGo(dst, du, u, i, r)
}

package kernel

import "math"

// The sigmoid surrogate h(x) = e/(1 + e)², e = exp(−β|x|), costs an
// exponential per neuron and time step. In float32 it is computed with
// expNeg32 below instead of surrogate.Deriv's float64 math.Exp, which made
// a sigmoid′ network train three times slower than a SuperSpike one; the
// float64 kernels keep surrogate.Deriv, the gradient reference's formula.

// sigmoidGrad32 writes g·h(u − θ).
func sigmoidGrad32(out []float32, beta float32, u, g []float32) {
	u, g = u[:len(out)], g[:len(out)]
	for i, v := range u {
		out[i] = g[i] * sigmoidH32(beta, v-Threshold)
	}
}

// lifGradUSigmoid32 is lifGradU for the sigmoid surrogate in float32.
func lifGradUSigmoid32(out []float32, sb float32, u, g []float32, beta float32, d, r []float32) {
	n := len(out)
	u, g, d = u[:n], g[:n], d[:n]
	if r == nil {
		for i, v := range u {
			out[i] = g[i]*sigmoidH32(sb, v-Threshold) + beta*d[i]
		}
		return
	}
	r = r[:n]
	for i, v := range u {
		out[i] = g[i]*sigmoidH32(sb, v-Threshold) + beta*(1-r[i])*d[i]
	}
}

// sigmoidH32 is the sigmoid surrogate of slope beta at x.
func sigmoidH32(beta, x float32) float32 {
	if x < 0 {
		x = -x
	}
	e := expNeg32(-beta * x) // symmetric, and no overflow for large |x|
	q := 1 + e
	return e / (q * q)
}

// expNeg32 returns exp(x) for x ≤ 0 to float32 precision (within 2 ulp):
// x = n·ln 2 + r with |r| ≤ ln 2 / 2, exp(r) from Cephes' degree-6
// polynomial for expf, and 2ⁿ put into the exponent bits. Below the
// smallest normal float32 it returns 0.
func expNeg32(x float32) float32 {
	if x < -87.33654 || x != x {
		return 0
	}
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375 // ln 2 = ln2Hi + ln2Lo, ln2Hi exact in few bits
		ln2Lo = -2.12194440e-4
	)
	n := float32(int32(x*log2e - 0.5)) // round(x·log₂e) for x ≤ 0
	r := x - n*ln2Hi - n*ln2Lo
	p := ((((1.9875691500e-4*r+1.3981999507e-3)*r+8.3334519073e-3)*r+4.1665795894e-2)*r+1.6666665459e-1)*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

package kernel

import "math"

// The sigmoid surrogate h(x) = e/(1 + e)², e = exp(−β|x|), costs an
// exponential per neuron and time step. In float32 it is computed with
// expNeg32 below instead of surrogate.Deriv's float64 math.Exp, which made
// a sigmoid′ network train three times slower than a SuperSpike one; the
// float64 kernels keep surrogate.Deriv, the gradient reference's formula.
// The loops work on blocks held on the stack, each loop free of calls.

const sigmoidBlock = 256

// sigmoidGrad32 writes g·h(u − θ).
func sigmoidGrad32(out []float32, beta float32, u, g []float32) {
	var h [sigmoidBlock]float32
	for lo := 0; lo < len(out); lo += sigmoidBlock {
		hi := min(lo+sigmoidBlock, len(out))
		hb := sigmoidH32(h[:hi-lo], beta, u[lo:hi])
		for i, v := range hb {
			out[lo+i] = g[lo+i] * v
		}
	}
}

// lifGradUSigmoid32 is lifGradU for the sigmoid surrogate in float32.
func lifGradUSigmoid32(out []float32, sb float32, u, g []float32, beta float32, d, r []float32) {
	var h [sigmoidBlock]float32
	for lo := 0; lo < len(out); lo += sigmoidBlock {
		hi := min(lo+sigmoidBlock, len(out))
		hb := sigmoidH32(h[:hi-lo], sb, u[lo:hi])
		o, gb, db := out[lo:hi], g[lo:hi], d[lo:hi]
		if r == nil {
			for i, v := range hb {
				o[i] = gb[i]*v + beta*db[i]
			}
			continue
		}
		rb := r[lo:hi]
		for i, v := range hb {
			o[i] = gb[i]*v + beta*(1-rb[i])*db[i]
		}
	}
}

// sigmoidH32 writes h(u − θ) for slope beta into dst and returns it.
func sigmoidH32(dst []float32, beta float32, u []float32) []float32 {
	dst = dst[:len(u)]
	for i, v := range u {
		x := v - Threshold
		if x < 0 {
			x = -x
		}
		dst[i] = -beta * x // symmetric, and no overflow for large |x|
	}
	expNeg32(dst, dst)
	for i, e := range dst {
		q := 1 + e
		dst[i] = e / (q * q)
	}
	return dst
}

// expNeg32 writes exp(x) for x ≤ 0 to float32 precision (within 2 ulp):
// x = n·ln 2 + r with |r| ≤ ln 2 / 2, exp(r) from Cephes' degree-6
// polynomial for expf (by Estrin's scheme: shorter chains of dependent
// operations than Horner's), and 2ⁿ put into the exponent bits. Below the
// smallest normal float32 it gives 0. dst may be x.
func expNeg32(dst, x []float32) {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375 // ln 2 = ln2Hi + ln2Lo, ln2Hi exact in few bits
		ln2Lo = -2.12194440e-4
	)
	dst = dst[:len(x)]
	for i, v := range x {
		if v < -87.33654 || v != v {
			dst[i] = 0
			continue
		}
		n := float32(int32(v*log2e - 0.5)) // round(v·log₂e) for v ≤ 0
		r := v - n*ln2Hi - n*ln2Lo
		r2 := r * r
		q := (5.0000001201e-1 + 1.6666665459e-1*r) + r2*(4.1665795894e-2+8.3334519073e-3*r) + r2*r2*(1.3981999507e-3+1.9875691500e-4*r)
		dst[i] = (q*r2 + r + 1) * math.Float32frombits(uint32(int32(n)+127)<<23)
	}
}

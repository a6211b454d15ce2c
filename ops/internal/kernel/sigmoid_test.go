package kernel

import (
	"math"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// TestExpNeg32: within 2 ulp of exp over the whole range of x ≤ 0 where
// float32 is normal, 0 below it.
func TestExpNeg32(t *testing.T) {
	worst := 0.0
	for x := float32(0); x >= -87.3; x -= 0.000731 {
		want := math.Exp(float64(x))
		got := float64(expNeg32(x))
		ulp := float64(math.Nextafter32(float32(want), 2) - float32(want))
		if e := math.Abs(got-want) / ulp; e > worst {
			worst = e
		}
	}
	if worst > 2 {
		t.Errorf("worst error %.2f ulp, want ≤ 2", worst)
	}
	for _, x := range []float32{-88, -1000, float32(math.Inf(-1))} {
		if got := expNeg32(x); got != 0 {
			t.Errorf("expNeg32(%g) = %g, want 0", x, got)
		}
	}
}

// TestSigmoidSurrogate32: the float32 sigmoid surrogate is surrogate.Deriv
// to float32 precision, for the slopes the paper sweeps.
func TestSigmoidSurrogate32(t *testing.T) {
	for _, beta := range []float64{1, 2, 5, 10, 20, 50, 100} {
		s := surrogate.Surrogate{Shape: surrogate.Sigmoid, Beta: beta}
		for x := -3.0; x <= 3; x += 0.00137 {
			want := s.Deriv(x)
			got := float64(sigmoidH32(float32(beta), float32(x)))
			// float32(x) and β·x are each off by up to 2⁻²⁴ of themselves,
			// which moves h by up to 2·β·|x|·2⁻²⁴·h.
			tol := (4e-7 + beta*math.Abs(x)*1.2e-7) * want
			if math.Abs(got-want) > tol+0x1p-126 { // below the smallest normal float32, 0
				t.Fatalf("β = %g, x = %g: %g, want %g", beta, x, got, want)
			}
		}
	}
}

// BenchmarkSurrogateGrad is the surrogate gradient of one training step's
// worth of a randman hidden layer (batch 250 × 100 neurons) per shape, in
// float32.
func BenchmarkSurrogateGrad(b *testing.B) {
	const n = 250 * 100
	u, g, out := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range u {
		u[i], g[i] = float32(i%97)/50-0.5, 1
	}
	for _, shape := range []surrogate.Shape{surrogate.SuperSpike, surrogate.Sigmoid, surrogate.Esser} {
		s := surrogate.Surrogate{Shape: shape, Beta: 10}
		b.Run(shape.String(), func(b *testing.B) {
			for range b.N {
				SurrogateGrad(parallel.New(1), out, s, u, g)
			}
		})
	}
}

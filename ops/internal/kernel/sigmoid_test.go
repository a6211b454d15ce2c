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
		got := float64(exp1(x))
		ulp := float64(math.Nextafter32(float32(want), 2) - float32(want))
		if e := math.Abs(got-want) / ulp; e > worst {
			worst = e
		}
	}
	if worst > 2 {
		t.Errorf("worst error %.2f ulp, want ≤ 2", worst)
	}
	for _, x := range []float32{-88, -1000, float32(math.Inf(-1))} {
		if got := exp1(x); got != 0 {
			t.Errorf("expNeg32(%g) = %g, want 0", x, got)
		}
	}
}

func exp1(x float32) float32 {
	y := []float32{x}
	expNeg32(y, y)
	return y[0]
}

// TestSigmoidSurrogate32: the float32 sigmoid surrogate is surrogate.Deriv
// to float32 precision, for the slopes the paper sweeps.
func TestSigmoidSurrogate32(t *testing.T) {
	for _, beta := range []float64{1, 2, 5, 10, 20, 50, 100} {
		s := surrogate.Surrogate{Shape: surrogate.Sigmoid, Beta: beta}
		for x := -3.0; x <= 3; x += 0.00137 {
			u := float32(x) + Threshold
			want := s.Deriv(float64(u) - Threshold)
			var h [1]float32
			got := float64(sigmoidH32(h[:], float32(beta), []float32{u})[0])
			// u − θ and β·|u − θ| are each rounded to float32, which moves
			// h by up to 2·β·|x|·2⁻²⁴ of itself.
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

// BenchmarkLIFGradU is the fused backward of one time step of a randman
// hidden layer (batch 250 × 100 neurons) per shape, in float32.
func BenchmarkLIFGradU(b *testing.B) {
	const n = 250 * 100
	u, g, d, r, out := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range u {
		u[i], g[i], d[i] = float32(i%97)/50-0.5, 1, 0.5
	}
	for _, shape := range []surrogate.Shape{surrogate.SuperSpike, surrogate.Sigmoid, surrogate.Esser} {
		s := surrogate.Surrogate{Shape: shape, Beta: 10}
		b.Run(shape.String(), func(b *testing.B) {
			for range b.N {
				LIFGradU(parallel.New(1), out, s, u, g, 0.9, d, r)
			}
		})
	}
}

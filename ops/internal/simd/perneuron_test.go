package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// perNeuronLoop is a loop of perneuron.go on the operands x (out first) and
// its formula for element j.
type perNeuronLoop struct {
	name     string
	operands int // out included
	run      func(x [][]float32)
	want     func(x [][]float32, j int) float32
}

// zerosVector is n values, most of them ±0 or ±1.
func zerosVector(rng *rand.Rand, n int) []float32 {
	x := edgeVector(rng, n)
	for i := range x {
		if rng.IntN(4) > 0 {
			x[i] = []float32{0, negZero, 1, -1}[rng.IntN(4)]
		}
	}
	return x
}

var negZero = float32(math.Copysign(0, -1))

const testNum, testSteep = float32(3), float32(10)

var perNeuronLoops = []perNeuronLoop{
	{"AddProduct", 3, func(x [][]float32) { AddProduct(x[0], x[1], x[2]) },
		func(x [][]float32, j int) float32 { return x[0][j] + x[1][j]*x[2][j] }},
	{"Sub", 3, func(x [][]float32) { Sub(x[0], x[1], x[2]) },
		func(x [][]float32, j int) float32 { return x[1][j] - x[2][j] }},
	{"Mul", 3, func(x [][]float32) { Mul(x[0], x[1], x[2]) },
		func(x [][]float32, j int) float32 { return x[1][j] * x[2][j] }},
	{"ComplementMul", 3, func(x [][]float32) { ComplementMul(x[0], x[1], x[2]) },
		func(x [][]float32, j int) float32 { return (1 - x[1][j]) * x[2][j] }},
	{"NegMul", 3, func(x [][]float32) { NegMul(x[0], x[1], x[2]) },
		func(x [][]float32, j int) float32 { return -x[1][j] * x[2][j] }},
	{"Adapt", 7, func(x [][]float32) { Adapt(x[0], x[1], x[2], x[3], x[4], x[5], x[6]) },
		func(x [][]float32, j int) float32 {
			var acc float32
			acc += x[1][j] * x[4][j]
			acc += x[2][j] * x[5][j]
			return acc + x[3][j]*x[6][j]
		}},
	{"AdaptiveMembrane", 6, func(x [][]float32) { AdaptiveMembrane(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j int) float32 {
			al := x[1][j]
			return al*(x[2][j]-x[3][j]) + (1-al)*(x[4][j]-x[5][j])
		}},
	{"AdaptationGrad", 5, func(x [][]float32) { AdaptationGrad(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j int) float32 { return -(1-x[1][j])*x[3][j] + x[2][j]*x[4][j] }},
	{"AdaptiveGradU", 8, func(x [][]float32) {
		AdaptiveGradU(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], testNum, testSteep)
	}, func(x [][]float32, j int) float32 {
		u, g, d, e, alpha, a, b := x[1][j], x[2][j], x[3][j], x[4][j], x[5][j], x[6][j], x[7][j]
		q := testSteep*abs32(u-1) + 1
		h := (g + b*e) * (testNum / (q * q))
		h += alpha * d
		return h + a*e
	}},
	{"AlphaGrad", 6, func(x [][]float32) { AlphaGrad(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j int) float32 { return x[0][j] + x[1][j]*(x[2][j]-x[3][j]-x[4][j]+x[5][j]) }},
	{"MembraneDecay", 5, func(x [][]float32) { MembraneDecay(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j int) float32 {
			b := x[1][j]
			return (b*x[2][j] + (1-b)*x[3][j]) * (1 - x[4][j])
		}},
	{"IntegrateDecay", 4, func(x [][]float32) { IntegrateDecay(x[0], x[1], x[2], x[3]) },
		func(x [][]float32, j int) float32 {
			b := x[1][j]
			return b*x[2][j] + (1-b)*x[3][j]
		}},
	{"LIFGradIDecay", 6, func(x [][]float32) { LIFGradIDecay(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j int) float32 { return (1-x[2][j])*x[1][j]*(1-x[5][j]) + x[3][j]*x[4][j] }},
	{"AddDecayed", 5, func(x [][]float32) { AddDecayed(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j int) float32 { return x[1][j] + x[2][j]*(1-x[4][j])*x[3][j] }},
	{"AddDecayGrad", 5, func(x [][]float32) { AddDecayGrad(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j int) float32 { return x[0][j] + x[1][j]*(1-x[4][j])*(x[2][j]-x[3][j]) }},
}

// The per-neuron loops equal their formulas bit for bit on every length
// (whole AVX blocks, a Go tail, both, neither), on values at the edges, into
// a fresh output and in place of each operand, with AVX and without, and
// on vectors of mostly signed zeros and ones, whose sums' signs tell the
// order of the operations. The operands are longer than out: the loops
// read and write only len(out) elements.
func TestPerNeuronLoopsMatchFormulas(t *testing.T) {
	run := func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, l := range perNeuronLoops {
			for n := 0; n < 140; n++ {
				vec := edgeVector
				if n >= 70 {
					vec = zerosVector
				}
				x := make([][]float32, l.operands)
				for k := range x {
					x[k] = vec(rng, n%70+3)
				}
				n := n % 70
				for in := range l.operands { // out in place of operand in (0: its own)
					y, before := make([][]float32, l.operands), make([][]float32, l.operands)
					for k := range y {
						y[k] = append([]float32(nil), x[k]...)
					}
					y[0] = y[in][:n]
					for k := range y {
						before[k] = append([]float32(nil), y[k]...)
					}
					want := make([]float32, n)
					for j := range want {
						want[j] = l.want(before, j)
					}
					l.run(y)
					name := fmt.Sprintf("%s avx=%t, out in place of operand %d", l.name, UseAVX, in)
					sameBits(t, name, y[0], want)
					sameBits(t, name+", past len(out)", y[0][n:n+3], x[in][n:])
				}
			}
		}
	}
	t.Run("default", run)
	if UseAVX {
		UseAVX = false
		defer func() { UseAVX = true }()
		t.Run("Go", run)
	}
}

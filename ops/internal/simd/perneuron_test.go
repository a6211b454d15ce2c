package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// perNeuronLoop is a loop of perneuron.go on the operands x, out first,
// and its formula for element j (of rows of cols) with c = j mod cols.
// The operands in params are per-neuron parameters, cols long; with acc,
// out is too, the sums the loop adds each row's terms to.
type perNeuronLoop struct {
	name     string
	operands int // out included
	params   []int
	acc      bool
	run      func(x [][]float32)
	want     func(x [][]float32, j, c int) float32
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
	{"AddProduct", 3, nil, true, func(x [][]float32) { AddProduct(x[0], x[1], x[2]) },
		func(x [][]float32, j, c int) float32 { return x[0][c] + x[1][j]*x[2][j] }},
	{"Sub", 3, nil, false, func(x [][]float32) { Sub(x[0], x[1], x[2]) },
		func(x [][]float32, j, c int) float32 { return x[1][j] - x[2][j] }},
	{"Mul", 3, []int{1}, false, func(x [][]float32) { Mul(x[0], x[1], x[2]) },
		func(x [][]float32, j, c int) float32 { return x[1][c] * x[2][j] }},
	{"ComplementMul", 3, []int{1}, false, func(x [][]float32) { ComplementMul(x[0], x[1], x[2]) },
		func(x [][]float32, j, c int) float32 { return (1 - x[1][c]) * x[2][j] }},
	{"NegMul", 3, []int{1}, false, func(x [][]float32) { NegMul(x[0], x[1], x[2]) },
		func(x [][]float32, j, c int) float32 { return -x[1][c] * x[2][j] }},
	{"Adapt", 7, []int{1, 2, 3}, false, func(x [][]float32) { Adapt(x[0], x[1], x[2], x[3], x[4], x[5], x[6]) },
		func(x [][]float32, j, c int) float32 {
			var acc float32
			acc += x[1][c] * x[4][j]
			acc += x[2][c] * x[5][j]
			return acc + x[3][c]*x[6][j]
		}},
	{"AdaptiveMembrane", 6, []int{1}, false, func(x [][]float32) { AdaptiveMembrane(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j, c int) float32 {
			al := x[1][c]
			return al*(x[2][j]-x[3][j]) + (1-al)*(x[4][j]-x[5][j])
		}},
	{"AdaptationGrad", 5, []int{1, 2}, false, func(x [][]float32) { AdaptationGrad(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j, c int) float32 { return -(1-x[1][c])*x[3][j] + x[2][c]*x[4][j] }},
	{"AdaptiveGradU", 8, []int{5, 6, 7}, false, func(x [][]float32) {
		AdaptiveGradU(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], testNum, testSteep)
	}, func(x [][]float32, j, c int) float32 {
		u, g, d, e, alpha, a, b := x[1][j], x[2][j], x[3][j], x[4][j], x[5][c], x[6][c], x[7][c]
		q := testSteep*abs32(u-1) + 1
		h := (g + b*e) * (testNum / (q * q))
		h += alpha * d
		return h + a*e
	}},
	{"AlphaGrad", 6, nil, true, func(x [][]float32) { AlphaGrad(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j, c int) float32 { return x[0][c] + x[1][j]*(x[2][j]-x[3][j]-x[4][j]+x[5][j]) }},
	{"MembraneDecay", 5, []int{1}, false, func(x [][]float32) { MembraneDecay(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j, c int) float32 {
			b := x[1][c]
			return (b*x[2][j] + (1-b)*x[3][j]) * (1 - x[4][j])
		}},
	{"IntegrateDecay", 4, []int{1}, false, func(x [][]float32) { IntegrateDecay(x[0], x[1], x[2], x[3]) },
		func(x [][]float32, j, c int) float32 {
			b := x[1][c]
			return b*x[2][j] + (1-b)*x[3][j]
		}},
	{"LIFGradIDecay", 6, []int{2, 3}, false, func(x [][]float32) { LIFGradIDecay(x[0], x[1], x[2], x[3], x[4], x[5]) },
		func(x [][]float32, j, c int) float32 { return (1-x[2][c])*x[1][j]*(1-x[5][j]) + x[3][c]*x[4][j] }},
	{"AddDecayed", 5, []int{2}, false, func(x [][]float32) { AddDecayed(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j, c int) float32 { return x[1][j] + x[2][c]*(1-x[4][j])*x[3][j] }},
	{"AddDecayGrad", 5, nil, true, func(x [][]float32) { AddDecayGrad(x[0], x[1], x[2], x[3], x[4]) },
		func(x [][]float32, j, c int) float32 { return x[0][c] + x[1][j]*(1-x[4][j])*(x[2][j]-x[3][j]) }},
}

// The per-neuron loops equal their formulas bit for bit on rows of every
// length (whole AVX blocks, a Go tail, both, neither), one or more rows,
// on values at the edges, into a fresh output and in place of each
// operand that is not a parameter, with AVX and without, and on vectors of
// mostly signed zeros and ones, whose sums' signs tell the order of the
// operations. The operands are longer than they need be: the loops read
// and write only their rows.
func TestPerNeuronLoopsMatchFormulas(t *testing.T) {
	run := func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, l := range perNeuronLoops {
			for _, cols := range []int{1, 2, 3, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 31, 32, 33, 40, 64, 67} {
				for _, rows := range []int{0, 1, 2, 3} {
					for _, vec := range []func(*rand.Rand, int) []float32{edgeVector, zerosVector} {
						perNeuronCase(t, rng, l, rows, cols, vec)
					}
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

func perNeuronCase(t *testing.T, rng *rand.Rand, l perNeuronLoop, rows, cols int, vec func(*rand.Rand, int) []float32) {
	t.Helper()
	const guard = 3
	n := rows * cols
	outLen := n
	if l.acc {
		outLen = cols
	}
	x := make([][]float32, l.operands)
	for k := range x {
		x[k] = vec(rng, n+guard)
	}
	for _, k := range l.params {
		x[k] = vec(rng, cols+guard)
	}
	x[0] = vec(rng, outLen+guard)
	for in := range l.operands { // out in place of operand in (0: its own)
		if in > 0 && (l.acc || slices.Contains(l.params, in)) {
			continue
		}
		y := make([][]float32, l.operands)
		for k := range y {
			y[k] = append([]float32(nil), x[k]...)
		}
		for k := range y {
			switch {
			case slices.Contains(l.params, k):
				y[k] = y[k][:cols]
			case l.acc && k > 0: // the rows' length is that of the data
				y[k] = y[k][:n]
			}
		}
		y[0] = y[in][:outLen]
		want := wantPerNeuron(l, y, n, cols)
		l.run(y)
		name := fmt.Sprintf("%s avx=%t, %d rows of %d, out in place of operand %d", l.name, UseAVX, rows, cols, in)
		sameBits(t, name, y[0], want)
		sameBits(t, name+", past out", y[0][outLen:outLen+guard], x[in][outLen:])
	}
}

// wantPerNeuron is the formula of l over the operands x.
func wantPerNeuron(l perNeuronLoop, x [][]float32, n, cols int) []float32 {
	before := make([][]float32, len(x))
	for k := range x {
		before[k] = append([]float32(nil), x[k]...)
	}
	want := before[0][:len(x[0])]
	for j := range n {
		o := j
		if l.acc {
			o = j % cols
		}
		want[o] = l.want(before, j, j%cols)
	}
	return want
}

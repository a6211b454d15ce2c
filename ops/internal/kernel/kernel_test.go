package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The float32 kernels hand blocks of four to the loops of package simd and
// do the rest in Go; the gradient tests run in float64 and never reach
// them. Here each float32 kernel must equal, bit for bit, the
// same formula evaluated one element at a time in float32, on lengths that
// are and are not multiples of four and on values at the edges (the
// threshold itself, ±0, NaN, ±Inf).

func edgeVector(rng *rand.Rand, n int) []float32 {
	special := []float32{1, 0, float32(math.Copysign(0, -1)), float32(math.NaN()),
		float32(math.Inf(1)), float32(math.Inf(-1)), 1 + 1e-7, 1 - 1e-7, -1, 2}
	x := make([]float32, n)
	for i := range x {
		if rng.IntN(4) == 0 {
			x[i] = special[rng.IntN(len(special))]
		} else {
			x[i] = float32(4*rng.Float64() - 2)
		}
	}
	return x
}

func binaryVector(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		if rng.IntN(5) == 0 {
			x[i] = 1
		}
	}
	return x
}

func sameBits(t *testing.T, name string, n int, got, want []float32) {
	t.Helper()
	for i := range want {
		g, w := got[i], want[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			t.Fatalf("%s, length %d: element %d is %v, want %v", name, n, i, g, w)
		}
	}
}

func abs32x(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func TestFloat32KernelsMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 70; n++ {
		for _, binaryR := range []bool{true, false} {
			u, g, d, e := edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n)
			r := edgeVector(rng, n)
			if binaryR {
				r = binaryVector(rng, n)
			}
			out, want := make([]float32, n), make([]float32, n)
			const beta, b = float32(0.9), float32(10)

			heaviside(out, u)
			for i, v := range u {
				want[i] = 0
				if v >= Threshold {
					want[i] = 1
				}
			}
			sameBits(t, "heaviside", n, out, want)

			membrane(out, beta, u, g, r)
			for i := range want {
				want[i] = (beta*u[i] + g[i]) * (1 - r[i])
			}
			sameBits(t, "membrane", n, out, want)

			membrane(out, beta, u, g, nil)
			for i := range want {
				want[i] = beta*u[i] + g[i]
			}
			sameBits(t, "membrane without reset", n, out, want)

			maskScale(out, beta, g, r)
			for i := range want {
				want[i] = beta * g[i] * (1 - r[i])
			}
			sameBits(t, "maskScale", n, out, want)

			maskScale(out, beta, g, nil)
			for i := range want {
				want[i] = beta * g[i]
			}
			sameBits(t, "maskScale without mask", n, out, want)

			Scale(out, beta, g)
			sameBits(t, "scale", n, out, want)

			lifGradI(out, d, beta, e, r)
			for i := range want {
				want[i] = (1-r[i])*d[i] + beta*e[i]
			}
			sameBits(t, "lifGradI", n, out, want)

			for _, shape := range []surrogate.Shape{surrogate.SuperSpike, surrogate.Asymptotic} {
				s := surrogate.Surrogate{Shape: shape, Beta: float64(b)}
				num := float32(1)
				if shape == surrogate.Asymptotic {
					num = b
				}
				lifGradU(out, s, u, g, beta, d, r)
				for i := range want {
					q := b*abs32x(u[i]-Threshold) + 1
					want[i] = g[i]*(num/(q*q)) + beta*(1-r[i])*d[i]
				}
				sameBits(t, fmt.Sprint("lifGradU shape ", shape), n, out, want)

				surrogateGrad(out, s, u, g)
				for i := range want {
					q := b*abs32x(u[i]-Threshold) + 1
					want[i] = g[i] * (num / (q * q))
				}
				sameBits(t, fmt.Sprint("surrogate shape ", shape), n, out, want)
			}
		}
	}
}

// The float32 kernels must also agree with their float64 versions (which
// the gradient tests check against the reference) to float32 precision.
func TestFloat32KernelsTrackFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 103
	u64, g64, d64 := make([]float64, n), make([]float64, n), make([]float64, n)
	r64 := make([]float64, n)
	for i := range u64 {
		u64[i], g64[i], d64[i] = 3*rng.Float64()-1, rng.NormFloat64(), rng.NormFloat64()
		if rng.IntN(4) == 0 {
			r64[i] = 1
		}
	}
	to32 := func(x []float64) []float32 {
		y := make([]float32, len(x))
		for i, v := range x {
			y[i] = float32(v)
		}
		return y
	}
	u32, g32, d32, r32 := to32(u64), to32(g64), to32(d64), to32(r64)
	o64, o32 := make([]float64, n), make([]float32, n)
	for _, s := range []surrogate.Surrogate{{Shape: surrogate.SuperSpike, Beta: 10}, {Shape: surrogate.Asymptotic, Beta: 5}, {Shape: surrogate.Sigmoid, Beta: 4}, {Shape: surrogate.Esser, Beta: 0.5}} {
		LIFGradU(parallel.Default, o64, s, u64, g64, 0.9, d64, r64)
		LIFGradU(parallel.Default, o32, s, u32, g32, 0.9, d32, r32)
		for i := range o64 {
			if math.Abs(float64(o32[i])-o64[i]) > 1e-5*(1+math.Abs(o64[i])) {
				t.Fatalf("%v: element %d: float32 %v, float64 %v", s, i, o32[i], o64[i])
			}
		}
		SurrogateGrad(parallel.Default, o64, s, u64, g64)
		SurrogateGrad(parallel.Default, o32, s, u32, g32)
		for i := range o64 {
			if math.Abs(float64(o32[i])-o64[i]) > 1e-5*(1+math.Abs(o64[i])) {
				t.Fatalf("%v: SurrogateGrad element %d: float32 %v, float64 %v", s, i, o32[i], o64[i])
			}
		}
	}
}

// Ops that declare OverwritesInput get their output in the memory of that
// input when the machine reuses it: their kernels must give the same result
// with the output aliasing the input, in float32 (SSE and tail) and float64.
func TestKernelsInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 7, 64, 103} {
		t.Run("float32", func(t *testing.T) { inPlace[float32](t, rng, n) })
		t.Run("float64", func(t *testing.T) { inPlace[float64](t, rng, n) })
	}
}

func inPlace[T Float](t *testing.T, rng *rand.Rand, n int) {
	vec := func(binary bool) []T {
		x := make([]T, n)
		for i := range x {
			switch {
			case !binary:
				x[i] = T(3*rng.Float64() - 1)
			case rng.IntN(4) == 0:
				x[i] = 1
			}
		}
		return x
	}
	clone := func(x []T) []T { return append([]T(nil), x...) }
	check := func(name string, got, want []T) {
		t.Helper()
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s, length %d: element %d is %v in place, %v out of place", name, n, i, got[i], want[i])
			}
		}
	}
	u, g, d, e, r := vec(false), vec(false), vec(false), vec(false), vec(true)
	want := make([]T, n)

	w := parallel.Default
	Membrane(w, want, 0.9, u, g, r)
	got := clone(r)
	Membrane(w, got, 0.9, u, g, got)
	check("membrane over r", got, want)

	for _, s := range []surrogate.Surrogate{{Shape: surrogate.SuperSpike, Beta: 10}, {Shape: surrogate.Asymptotic, Beta: 3}, {Shape: surrogate.Sigmoid, Beta: 4}, {Shape: surrogate.Esser, Beta: 0.5}, {Shape: surrogate.Exact, Beta: 0}} {
		LIFGradU(w, want, s, u, g, 0.9, d, r)
		got = clone(d)
		LIFGradU(w, got, s, u, g, 0.9, got, r)
		check(fmt.Sprint("lifGradU over d ", s), got, want)
	}

	LIFGradI(w, want, d, 0.8, e, r)
	got = clone(d)
	LIFGradI(w, got, got, 0.8, e, r)
	check("lifGradI over d", got, want)

	Synapse(w, want, 1, 0.8, g, 0.1, nil, nil, nil, nil, nil, nil)
	got = clone(g)
	Synapse(w, got, 1, 0.8, got, 0.1, nil, nil, nil, nil, nil, nil)
	check("synapse over c", got, want)

	// lifGradUProj: rows of width n, one output column of the projection.
	wt, gO := vec(false), vec(false)[:1]
	LIFGradUProj(w, want, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}, u, r, gO, wt, d, 1, 0.9, 0.3)
	got = clone(d)
	LIFGradUProj(w, got, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}, u, r, gO, wt, got, 1, 0.9, 0.3)
	check("lifGradUProj over d", got, want)
}

func TestNonzeroAndAxpyMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 2200; n += 1 + n/7 {
		x := make([]float32, n)
		for i := range x {
			switch rng.IntN(10) {
			case 0:
				x[i] = float32(rng.NormFloat64())
			case 1:
				x[i] = float32(math.Copysign(0, -1))
			case 2:
				x[i] = float32(math.NaN())
			}
		}
		var got []int
		forEachNonzero(x, func(i int, v float32) {
			if math.Float32bits(v) != math.Float32bits(x[i]) {
				t.Fatalf("length %d: value of %d is %v, want %v", n, i, v, x[i])
			}
			got = append(got, i)
		})
		var want []int
		for i, v := range x {
			if v != 0 {
				want = append(want, i)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("length %d: %d non-zeros, want %d", n, len(got), len(want))
		}
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("length %d: non-zero %d at %d, want %d", n, k, got[k], want[k])
			}
		}
		y, yw := edgeVector(rng, n), make([]float32, n)
		copy(yw, y)
		addScaled32(y, 0.3, x)
		for i := range yw {
			yw[i] += 0.3 * x[i]
		}
		sameBits(t, "axpy", n, y, yw)
	}
}

// Every kernel test passes with the SSE loops alone, too.
func TestKernelsWithoutAVX(t *testing.T) {
	if !simd.UseAVX {
		t.Skip("no AVX loops in this build or on this machine")
	}
	simd.UseAVX = false
	defer func() { simd.UseAVX = true }()
	t.Run("SSE/BackProjRow", TestBackProjRowMatchesScalar)
	t.Run("SSE/GatherScatter", TestGatherScatterMatchScalar)
	t.Run("SSE/MatchScalar", TestFloat32KernelsMatchScalar)
	t.Run("SSE/InPlace", TestKernelsInPlace)
	t.Run("SSE/NonzeroAndAxpy", TestNonzeroAndAxpyMatchScalar)
	t.Run("SSE/HeavisideRows", TestHeavisideRowsMatchScalar)
	t.Run("SSE/MaxOverTime", TestMaxOverTimeMatchesScalar)
	t.Run("SSE/Pick", TestPickMatchesScalar)
	t.Run("Go/PerNeuron", TestPerNeuronKernelsMatchGo)
	t.Run("Go/PerNeuronSplit", TestPerNeuronKernelsSplit)
}

// backProjRow sums its terms element by element in order of k, skipping
// zero coefficients, whether in registers (AVX) or by scale and axpy.
func TestBackProjRowMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	lengths := []int{64, 71, 72, 80, 128, 136, 200} // blocks of 64 outputs, then 16 and 8
	for n := 0; n < 45; n++ {
		lengths = append(lengths, n)
	}
	for _, k := range []int{1, 3, 10, 20} {
		for _, n := range lengths {
			wt := edgeVector(rng, k*n)
			g := edgeVector(rng, k)
			for i := range g {
				if rng.IntN(3) == 0 {
					g[i] = 0
				}
			}
			want := make([]float32, n)
			for j := range want {
				first := true
				for q, c := range g {
					if c == 0 {
						continue
					}
					if first {
						want[j], first = c*wt[q*n+j], false
					} else {
						want[j] = want[j] + float32(c*wt[q*n+j])
					}
				}
			}
			got := edgeVector(rng, n) // overwritten
			backProjRow(got, g, wt, make([]int32, k), make([]float32, k), addScaled32)
			sameBits(t, fmt.Sprintf("backProjRow k=%d avx=%t", k, simd.UseAVX), n, got, want)
		}
	}
}

// The event gather of the synapses and the scatter of the weight gradients
// add their terms one event at a time, in order, whatever the loop.
func TestGatherScatterMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const fanIn, rows = 7, 4
	for cols := 1; cols < 150; cols++ {
		if cols > 42 && cols%8 > 1 {
			continue // blocks of 64 columns and of 8, with and without a tail
		}
		w := edgeVector(rng, fanIn*cols)
		xi := &CSR[float32]{}
		for b := 0; b < rows; b++ {
			xi.Start = append(xi.Start, int32(len(xi.Col)))
			for e := rng.IntN(6); e > 0; e-- { // repeated columns too
				v := float32(4*rng.Float64() - 2)
				if rng.IntN(2) == 0 {
					v = 1 // runs of equal values, as spikes have
				}
				xi.Col = append(xi.Col, int32(rng.IntN(fanIn)))
				xi.Val = append(xi.Val, v)
			}
		}
		xi.Start = append(xi.Start, int32(len(xi.Col)))
		const gain = float32(0.37)
		for lo := 0; lo < rows; lo++ {
			hi := lo + 1 + rng.IntN(rows-lo)
			o := edgeVector(rng, (hi-lo)*cols)
			want := append([]float32(nil), o...)
			for b := lo; b < hi; b++ {
				for k := xi.Start[b]; k < xi.Start[b+1]; k++ {
					a := gain * xi.Val[k]
					for j := 0; j < cols; j++ {
						want[(b-lo)*cols+j] = want[(b-lo)*cols+j] + float32(a*w[int(xi.Col[k])*cols+j])
					}
				}
			}
			gatherIndexed(o, gain, nil, xi, w, lo, hi, cols, addScaled32)
			sameBits(t, fmt.Sprintf("gather cols=%d rows %d…%d avx=%t", cols, lo, hi, simd.UseAVX), cols, o, want)
		}

		g := edgeVector(rng, rows*cols)
		dst := edgeVector(rng, fanIn*cols)
		first, n := 0, fanIn // the rows of dst that the scatter updates
		if rng.IntN(2) == 0 {
			first = rng.IntN(fanIn)
			n = rng.IntN(fanIn - first + 1)
		}
		wantD := append([]float32(nil), dst...)
		for b := 0; b < rows; b++ {
			for k := xi.Start[b]; k < xi.Start[b+1]; k++ {
				if i := int(xi.Col[k]); i < first || i >= first+n {
					continue
				}
				a := gain * xi.Val[k]
				for j := 0; j < cols; j++ {
					i := int(xi.Col[k])*cols + j
					wantD[i] = wantD[i] + float32(a*g[b*cols+j])
				}
			}
		}
		scatterEvents(dst[first*cols:(first+n)*cols], first, g, gain, xi, cols, addScaled32)
		sameBits(t, fmt.Sprintf("scatter cols=%d rows %d…%d avx=%t", cols, first, first+n, simd.UseAVX), len(dst), dst, wantD)
	}
}

// The weight gradient, its rows split between cores, equals the plain
// double loop.
func TestWeightGradParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	const steps, rows, fanIn, cols = 40, 60, 70, 30
	var xs, gs [][]float64
	var xis []*CSR[float64]
	want := make([]float64, fanIn*cols)
	for n := 0; n < steps; n++ {
		x := make([]float64, rows*fanIn)
		for i := range x {
			if rng.Float64() < 0.1 {
				x[i] = rng.Float64() + 0.5
			}
		}
		g := make([]float64, rows*cols)
		for i := range g {
			g[i] = 2*rng.Float64() - 1
		}
		xs, gs = append(xs, x), append(gs, g)
		var xi *CSR[float64]
		if n%2 == 0 { // half through an index, half scanned
			xi = csrOf(x, rows)
		}
		xis = append(xis, xi)
		for b := 0; b < rows; b++ {
			for i := 0; i < fanIn; i++ {
				for j := 0; j < cols; j++ {
					want[i*cols+j] += 0.5 * x[b*fanIn+i] * g[b*cols+j]
				}
			}
		}
	}
	got := make([]float64, len(want))
	WeightGrad(parallel.Default, got, fanIn, cols, 0.5, xs, xis, gs)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("dW[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// csrOf returns the CSR of x, [rows, len(x)/rows].
func csrOf[T Float](x []T, rows int) *CSR[T] {
	c := &CSR[T]{}
	cols := len(x) / rows
	for b := 0; b < rows; b++ {
		c.Start = append(c.Start, int32(len(c.Col)))
		for j, v := range x[b*cols : (b+1)*cols] {
			if v != 0 {
				c.Col, c.Val = append(c.Col, int32(j)), append(c.Val, v)
			}
		}
	}
	c.Start = append(c.Start, int32(len(c.Col)))
	return c
}

// HeavisideRows writes Heaviside's spikes and an index that lists exactly
// them, row by row, whether it finds them as it writes them (AVX) or
// scans the rows after.
func TestHeavisideRowsMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	const rows = 3
	for _, cols := range []int{1, 7, 8, 13, 64, 101, 130} {
		u := edgeVector(rng, rows*cols)
		want := make([]float32, len(u))
		wantC := &CSR[float32]{}
		for b := 0; b < rows; b++ {
			wantC.Start = append(wantC.Start, int32(len(wantC.Col)))
			for j := 0; j < cols; j++ {
				if u[b*cols+j] >= 1 {
					want[b*cols+j] = 1
					wantC.Col, wantC.Val = append(wantC.Col, int32(j)), append(wantC.Val, 1)
				}
			}
		}
		wantC.Start = append(wantC.Start, int32(len(wantC.Col)))
		out := edgeVector(rng, len(u))
		c := &CSR[float32]{Start: []int32{5}, Col: []int32{6}, Val: []float32{7}} // reset
		HeavisideRows(out, c, u, cols)
		name := fmt.Sprintf("HeavisideRows cols=%d avx=%t", cols, simd.UseAVX)
		sameBits(t, name, len(u), out, want)
		if !slices.Equal(c.Start, wantC.Start) || !slices.Equal(c.Col, wantC.Col) || !slices.Equal(c.Val, wantC.Val) {
			t.Fatalf("%s: index %+v, want %+v", name, *c, *wantC)
		}
	}
}

// MaxOverTime keeps gorgonia.MaxBetween's rule element by element, with
// the AVX loops and without: x wins where x > m, and the winner moves
// wherever the maximum no longer compares equal (a NaN takes every step).
func TestMaxOverTimeMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n < 41; n++ {
		for steps := 1; steps < 5; steps++ {
			xs := make([][]float32, steps)
			for j := range xs {
				xs[j] = edgeVector(rng, n)
			}
			for _, zero := range []bool{false, true} {
				m, win := make([]float32, n), make([]float32, n)
				for i := range m {
					win[i] = -1
					if !zero {
						m[i], win[i] = xs[0][i], 0
					}
				}
				first := 1
				if zero {
					first = 0
				}
				for j := first; j < steps; j++ {
					for i, v := range xs[j] {
						old := m[i]
						if v > old {
							m[i] = v
						}
						if !(old == m[i]) {
							win[i] = float32(j)
						}
					}
				}
				got := make([]float32, n)
				MaxOverTime(got, zero, false, xs)
				sameBits(t, fmt.Sprintf("MaxOverTime zero=%v steps %d", zero, steps), n, got, m)
				MaxOverTime(got, zero, true, xs)
				sameBits(t, fmt.Sprintf("MaxOverTime arg zero=%v steps %d", zero, steps), n, got, win)
			}
		}
	}
}

// BackProj and LIFGradUProj give the same bits with Wᵀ padded to whole
// AVX blocks (projT) as with the unpadded rows and Go tails of the SSE
// path, for every fan-in.
func TestBackProjPaddingChangesNothing(t *testing.T) {
	if !simd.UseAVX {
		t.Skip("no AVX loops in this build or on this machine")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	wk := parallel.New(1)
	const rows = 3
	for _, fanIn := range []int{1, 4, 7, 9, 100, 101, 300} {
		for _, cols := range []int{1, 10, 13} {
			w := edgeVector(rng, fanIn*cols)
			g := edgeVector(rng, rows*cols)
			u, d, r := edgeVector(rng, rows*fanIn), edgeVector(rng, rows*fanIn), binaryVector(rng, rows*fanIn)
			run := func(avx bool) (bp, gu []float32) {
				simd.UseAVX = avx
				defer func() { simd.UseAVX = true }()
				bp, gu = make([]float32, rows*fanIn), make([]float32, rows*fanIn)
				BackProj(wk, bp, 0.7, g, w, cols)
				LIFGradUProj(wk, gu, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}, u, r, g, w, d, cols, 0.9, 0.7)
				return bp, gu
			}
			bp, gu := run(true)
			bpWant, guWant := run(false)
			name := fmt.Sprintf("fan-in %d, %d columns", fanIn, cols)
			sameBits(t, "BackProj "+name, rows*fanIn, bp, bpWant)
			sameBits(t, "LIFGradUProj "+name, rows*fanIn, gu, guWant)
		}
	}
}

// Pick gives the winners of step j their gradient and every other
// element +0, with the AVX loops and without; a NaN index wins nothing.
func TestPickMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for n := 0; n < 41; n++ {
		g := edgeVector(rng, n)
		idx := make([]float32, n)
		for i := range idx {
			idx[i] = float32(rng.IntN(4) - 1)
			if rng.IntN(9) == 0 {
				idx[i] = float32(math.NaN())
			}
		}
		for j := float32(-1); j < 3; j++ {
			want := make([]float32, n)
			for i := range want {
				if idx[i] == j {
					want[i] = g[i]
				}
			}
			got := edgeVector(rng, n) // overwritten everywhere
			Pick(got, g, idx, j)
			sameBits(t, fmt.Sprintf("Pick j=%g", j), n, got, want)
		}
	}
}

package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/ops/internal/simd"
	"github.com/spikegrad/spikegrad/surrogate"
)

// goFloat32 is a float32 that as32 does not take for one: the kernels run
// their Go loops on it, in float32 arithmetic. The per-neuron kernels in
// float32 (AVX, or package simd's Go loops) must equal them bit for bit.
type goFloat32 float32

// perNeuronOperands are the operands of a per-neuron kernel test: rows of
// cols neurons fed, for the projections, by a layer of fanIn.
type perNeuronOperands[T Float] struct {
	rows, cols, fanIn int
	m                 [4][]T // optional [rows, cols] operands, nil for some masks
	all               [4][]T // [rows, cols], never nil
	p                 [4][]T // per-neuron parameters, [cols]
	in                [4][]T // [rows, fanIn]: u, d, e (optional) and r (optional)
	pIn               [3][]T // per-neuron parameters of that layer, [fanIn]
	w                 []T    // [fanIn, cols]
	steps             [][8][]T
}

func convertSlices[T, U Float](x []T) []U {
	if x == nil {
		return nil
	}
	y := make([]U, len(x))
	for i, v := range x {
		y[i] = U(v)
	}
	return y
}

func (o perNeuronOperands[T]) toGo() perNeuronOperands[goFloat32] {
	g := perNeuronOperands[goFloat32]{rows: o.rows, cols: o.cols, fanIn: o.fanIn, w: convertSlices[T, goFloat32](o.w)}
	for k := range o.m {
		g.m[k], g.all[k], g.p[k], g.in[k] = convertSlices[T, goFloat32](o.m[k]), convertSlices[T, goFloat32](o.all[k]),
			convertSlices[T, goFloat32](o.p[k]), convertSlices[T, goFloat32](o.in[k])
	}
	for k := range o.pIn {
		g.pIn[k] = convertSlices[T, goFloat32](o.pIn[k])
	}
	g.steps = make([][8][]goFloat32, len(o.steps))
	for n := range o.steps {
		for k := range o.steps[n] {
			g.steps[n][k] = convertSlices[T, goFloat32](o.steps[n][k])
		}
	}
	return g
}

// perNeuronKernels are the kernels the tests run, by name, with how long
// their output is and which operand out may be (see runPerNeuron).
var perNeuronKernels = []struct {
	name    string
	size    func(rows, cols, fanIn int) int
	inPlace []string // operands out may be
}{
	{"Adapt", matrix, []string{"m0", "m1", "m2"}},
	{"AdaptiveMembrane", matrix, []string{"m0", "m1", "m2", "m3"}},
	{"AdaptationGrad", matrix, nil},
	{"ScaleColumns/complement", matrix, nil},
	{"ScaleColumns", matrix, nil},
	{"AdaptiveGradU/SuperSpike", matrix, []string{"all2"}},
	{"AdaptiveGradU/Asymptotic", matrix, []string{"all2"}},
	{"AdaptiveGradU/Esser", matrix, []string{"all2"}},
	{"AdaptiveGradUProj", layer, []string{"in1"}},
	{"AdaptiveGrads", func(_, cols, _ int) int { return 4 * cols }, nil},
	{"MembraneDecay", matrix, []string{"m0", "m1", "m2"}},
	{"SynapseDecay", matrix, []string{"m0"}},
	{"LIFGradUDecay/SuperSpike", matrix, []string{"all2"}},
	{"LIFGradUDecay/Esser", matrix, []string{"all2"}},
	{"LIFGradUProjDecay", layer, []string{"in1"}},
	{"LIFGradIDecay", matrix, []string{"all0"}},
	{"ResetGradDecay", matrix, nil},
	{"DecayGrads", func(_, cols, _ int) int { return 2 * cols }, nil},
}

func matrix(rows, cols, _ int) int { return rows * cols }
func layer(rows, _, fanIn int) int { return rows * fanIn }

// operand returns the operand of o by name.
func (o perNeuronOperands[T]) operand(name string) []T {
	k := int(name[len(name)-1] - '0')
	switch name[:len(name)-1] {
	case "m":
		return o.m[k]
	case "all":
		return o.all[k]
	case "in":
		return o.in[k]
	}
	panic("no operand " + name)
}

// runPerNeuron runs kernel name into out.
func runPerNeuron[T Float](wk *parallel.Workers, name string, out []T, o perNeuronOperands[T]) {
	m, all, p, in, pIn := o.m, o.all, o.p, o.in, o.pIn
	s := surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}
	switch name {
	case "AdaptiveGradU/Asymptotic":
		s = surrogate.Surrogate{Shape: surrogate.Asymptotic, Beta: 3}
	case "AdaptiveGradU/Esser", "LIFGradUDecay/Esser":
		s = surrogate.Surrogate{Shape: surrogate.Esser, Beta: 0.5}
	}
	switch name {
	case "Adapt":
		Adapt(wk, out, p[0], p[1], p[2], m[0], m[1], m[2])
	case "AdaptiveMembrane":
		AdaptiveMembrane(wk, out, p[0], m[0], m[1], m[2], m[3])
	case "AdaptationGrad":
		AdaptationGrad(wk, out, p[0], p[1], all[0], m[1])
	case "ScaleColumns/complement":
		ScaleColumns(wk, out, p[0], all[0], true)
	case "ScaleColumns":
		ScaleColumns(wk, out, p[0], all[0], false)
	case "AdaptiveGradU/SuperSpike", "AdaptiveGradU/Asymptotic", "AdaptiveGradU/Esser":
		AdaptiveGradU(wk, out, s, all[0], all[1], p[0], p[1], p[2], all[2], m[3])
	case "AdaptiveGradUProj":
		AdaptiveGradUProj(wk, out, s, in[0], all[0], o.w, o.cols, 0.7, pIn[0], pIn[1], pIn[2], in[1], in[2])
	case "AdaptiveGrads":
		steps := make([]AdaptiveStep[T], len(o.steps))
		for n, st := range o.steps {
			steps[n] = AdaptiveStep[T]{U: st[0], R: st[1], X: st[2], W0: st[3], W1: st[4], S: st[5], DU: st[6], DW: st[7]}
		}
		c := o.cols
		AdaptiveGrads(wk, out[:c], out[c:2*c], out[2*c:3*c], out[3*c:], steps)
	case "MembraneDecay":
		MembraneDecay(wk, out, p[0], m[0], m[1], m[2])
	case "SynapseDecay":
		SynapseDecay(wk, out, o.rows, p[0], m[0], all[0], nil, all[1][:o.cols*o.cols], nil, nil, nil)
	case "LIFGradUDecay/SuperSpike", "LIFGradUDecay/Esser":
		LIFGradUDecay(wk, out, s, all[0], all[1], p[0], all[2], m[3])
	case "LIFGradUProjDecay":
		LIFGradUProjDecay(wk, out, s, in[0], in[3], all[0], o.w, in[1], o.cols, pIn[0], 0.7)
	case "LIFGradIDecay":
		LIFGradIDecay(wk, out, all[0], p[0], p[1], m[1], m[2])
	case "ResetGradDecay":
		ResetGradDecay(wk, out, p[0], m[0], m[1], all[0])
	case "DecayGrads":
		steps := make([]DecayStep[T], len(o.steps))
		for n, st := range o.steps {
			steps[n] = DecayStep[T]{U: st[0], I: st[2], R: st[1], DU: st[6], DI: st[7]}
		}
		DecayGrads(wk, out[:o.cols], out[o.cols:], steps)
	default:
		panic("no kernel " + name)
	}
}

// perNeuronCase draws the operands of a test from vec, the optional ones
// nil where mask says, with steps steps for the parameters' gradients.
func perNeuronCase(rng *rand.Rand, vec func(*rand.Rand, int) []float32, rows, cols, fanIn, steps, mask int) perNeuronOperands[float32] {
	o := perNeuronOperands[float32]{rows: rows, cols: cols, fanIn: fanIn, w: vec(rng, fanIn*cols)}
	opt := func(x []float32, bit int) []float32 {
		if mask>>bit&1 != 0 {
			return nil
		}
		return x
	}
	n := rows * cols
	for k := range o.m {
		o.all[k], o.p[k] = vec(rng, n), vec(rng, cols)
		o.m[k] = opt(vec(rng, n), k)
	}
	o.all[1] = append(o.all[1], vec(rng, cols*cols)...) // V of SynapseDecay after g
	o.in = [4][]float32{vec(rng, rows*fanIn), vec(rng, rows*fanIn),
		opt(vec(rng, rows*fanIn), 2), opt(binaryVector(rng, rows*fanIn), 3)}
	for k := range o.pIn {
		o.pIn[k] = vec(rng, fanIn)
	}
	o.steps = make([][8][]float32, steps)
	for st := range o.steps {
		for k := range o.steps[st] {
			o.steps[st][k] = vec(rng, n)
			if k != 6 && (mask+st*37)>>k&1 != 0 { // DU (6) is never nil
				o.steps[st][k] = nil
			}
		}
	}
	return o
}

// Every per-neuron kernel gives in float32 the bits of its Go loops in
// float32 arithmetic, with any operands nil that may be, on rows that are
// and are not whole AVX blocks, into a fresh output and in place of each
// operand that out may be.
func TestPerNeuronKernelsMatchGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	wk := parallel.New(2)
	for _, cols := range []int{1, 7, 8, 13, 16, 37} {
		for mask := range 16 {
			fanIn := []int{5, 8, 19, 101}[mask%4]
			o := perNeuronCase(rng, edgeVector, 3, cols, fanIn, 6, mask)
			g := o.toGo()
			for _, k := range perNeuronKernels {
				name := fmt.Sprintf("%s cols=%d fanIn=%d mask=%04b avx=%t", k.name, cols, fanIn, mask, simd.UseAVX)
				size := k.size(o.rows, cols, fanIn)
				want := make([]goFloat32, size)
				runPerNeuron(wk, k.name, want, g)
				got := edgeVector(rng, size) // overwritten
				runPerNeuron(wk, k.name, got, o)
				sameBits(t, name, size, got, convertSlices[goFloat32, float32](want))
				for _, op := range k.inPlace {
					x := o.operand(op)
					if x == nil {
						continue
					}
					saved := append([]float32(nil), x...)
					runPerNeuron(wk, k.name, x, o)
					sameBits(t, name+" in place of "+op, size, x, got)
					copy(x, saved)
				}
			}
		}
	}
}

// With rows enough to be split between goroutines, by rows or (the
// parameters' gradients) by columns, the per-neuron kernels in float32
// still give the bits of their Go loops, whatever the number of threads:
// a goroutine's rows go to package simd at once, or row by row when it
// holds only some of the columns. The values are finite: sums over so many
// rows of edge values would all be NaN.
func TestPerNeuronKernelsSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	finite := func(rng *rand.Rand, n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	for _, cols := range []int{64, 45} {
		o := perNeuronCase(rng, finite, 150, cols, 24, 60, 0)
		g := o.toGo()
		for _, k := range perNeuronKernels {
			size := k.size(o.rows, cols, o.fanIn)
			want := make([]goFloat32, size)
			runPerNeuron(parallel.New(1), k.name, want, g)
			for _, limit := range []int{1, 2, 5} {
				got := make([]float32, size)
				runPerNeuron(parallel.New(limit), k.name, got, o)
				sameBits(t, fmt.Sprintf("%s cols=%d threads=%d avx=%t", k.name, cols, limit, simd.UseAVX), size, got, convertSlices[goFloat32, float32](want))
			}
		}
	}
}

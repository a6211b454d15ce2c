package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// threadLimits are the Workers sizes every parallel kernel must give the
// same bits with.
var threadLimits = []int{1, 2, 3, 4, 8}

// threadKernel runs a kernel with Workers wk, writing out, of size.
type threadKernel struct {
	name string
	size int
	run  func(wk *parallel.Workers, out []float32)
}

// Every kernel that takes Workers gives the same bits whatever their
// number of threads, on shapes large enough to be split between eight.
func TestKernelsThreadIndependent(t *testing.T) {
	const rows, fanIn, cols, steps = 512, 300, 130, 5 // cols: blocks of 64, of 8, and a tail
	rng := rand.New(rand.NewPCG(31, 32))
	n := rows * cols
	events := func(m int) []float32 { // sparse, spikes and other values
		x := make([]float32, m)
		for i := range x {
			switch rng.IntN(40) {
			case 0:
				x[i] = 1
			case 1:
				x[i] = float32(rng.NormFloat64())
			}
		}
		return x
	}
	u, g, d, e, c := edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n), edgeVector(rng, n)
	r := binaryVector(rng, n)
	w, v := edgeVector(rng, fanIn*cols), edgeVector(rng, cols*cols)
	uIn, dIn, rIn := edgeVector(rng, rows*fanIn), edgeVector(rng, rows*fanIn), binaryVector(rng, rows*fanIn)
	var xs, gs [][]float32
	var xis []*CSR[float32]
	for j := 0; j < steps; j++ {
		x := events(rows * fanIn)
		xs, gs = append(xs, x), append(gs, edgeVector(rng, n))
		var xi *CSR[float32]
		if j%2 == 0 { // half through an index, half scanned
			xi = csrOf(x, rows)
		}
		xis = append(xis, xi)
	}
	x, s := xs[1], events(n)
	bm, bs, bIn := edgeVector(rng, cols), edgeVector(rng, cols), edgeVector(rng, fanIn) // per-neuron decays
	xi, si := csrOf(xs[0], rows), csrOf(s, rows)

	superSpike := surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}
	kernels := []threadKernel{
		{"Synapse", n, func(wk *parallel.Workers, out []float32) {
			Synapse(wk, out, rows, 0.9, c, 0.7, nil, xi, w, nil, si, v)
		}},
		{"Synapse/dense", n, func(wk *parallel.Workers, out []float32) {
			Synapse(wk, out, rows, 1, c, 0.7, x, nil, w, s, nil, v)
		}},
		{"WeightGrad", fanIn * cols, func(wk *parallel.Workers, out []float32) {
			WeightGrad(wk, out, fanIn, cols, 0.7, xs, xis, gs)
		}},
		{"BackProj", rows * fanIn, func(wk *parallel.Workers, out []float32) {
			BackProj(wk, out, 0.7, g, w, cols)
		}},
		{"LIFGradUProj", rows * fanIn, func(wk *parallel.Workers, out []float32) {
			LIFGradUProj(wk, out, superSpike, uIn, rIn, g, w, dIn, cols, 0.9, 0.7)
		}},
		{"Sum", n, func(wk *parallel.Workers, out []float32) { Sum(wk, out, gs) }},
		{"Heaviside", n, func(wk *parallel.Workers, out []float32) { Heaviside(wk, out, u) }},
		{"Membrane", n, func(wk *parallel.Workers, out []float32) { Membrane(wk, out, 0.9, u, c, r) }},
		{"MaskScale", n, func(wk *parallel.Workers, out []float32) { MaskScale(wk, out, 0.7, g, r) }},
		{"NegMulSum", n, func(wk *parallel.Workers, out []float32) { NegMulSum(wk, out, 0.9, u, c, g) }},
		{"Copy", n, func(wk *parallel.Workers, out []float32) { Copy(wk, out, u) }},
		{"LIFGradI", n, func(wk *parallel.Workers, out []float32) { LIFGradI(wk, out, d, 0.9, e, r) }},
		{"LIFGradUProjDecay", rows * fanIn, func(wk *parallel.Workers, out []float32) {
			LIFGradUProjDecay(wk, out, superSpike, uIn, rIn, g, w, dIn, cols, bIn, 0.7)
		}},
		{"MembraneDecay", n, func(wk *parallel.Workers, out []float32) { MembraneDecay(wk, out, bm, u, c, r) }},
		{"SynapseDecay", n, func(wk *parallel.Workers, out []float32) {
			SynapseDecay(wk, out, rows, bs, c, nil, xi, w, nil, si, v)
		}},
		{"LIFGradIDecay", n, func(wk *parallel.Workers, out []float32) { LIFGradIDecay(wk, out, d, bm, bs, e, r) }},
		{"ResetGradDecay", n, func(wk *parallel.Workers, out []float32) { ResetGradDecay(wk, out, bm, u, c, g) }},
		{"Adapt", n, func(wk *parallel.Workers, out []float32) { Adapt(wk, out, bm, bs, bIn[:cols], c, u, r) }},
		{"AdaptiveMembrane", n, func(wk *parallel.Workers, out []float32) {
			AdaptiveMembrane(wk, out, bm, u, r, c, e)
		}},
		{"AdaptationGrad", n, func(wk *parallel.Workers, out []float32) { AdaptationGrad(wk, out, bm, bs, g, e) }},
		{"ScaleColumns", n, func(wk *parallel.Workers, out []float32) { ScaleColumns(wk, out, bm, g, true) }},
		{"AdaptiveGradU", n, func(wk *parallel.Workers, out []float32) {
			AdaptiveGradU(wk, out, superSpike, u, g, bm, bs, bIn[:cols], d, e)
		}},
		{"AdaptiveGradUProj", rows * fanIn, func(wk *parallel.Workers, out []float32) {
			AdaptiveGradUProj(wk, out, superSpike, uIn, g, w, cols, 0.7, bIn, bIn, bIn, dIn, rIn)
		}},
		{"AdaptiveGrads", 4 * cols, func(wk *parallel.Workers, out []float32) {
			var st []AdaptiveStep[float32]
			for j := range gs {
				st = append(st, AdaptiveStep[float32]{U: u, R: r, X: c, W0: e, W1: gs[j], S: r, DU: d, DW: g})
			}
			AdaptiveGrads(wk, out[:cols], out[cols:2*cols], out[2*cols:3*cols], out[3*cols:], st)
		}},
		{"DecayGrads", 2 * cols, func(wk *parallel.Workers, out []float32) {
			var st []DecayStep[float32]
			for j := range gs {
				st = append(st, DecayStep[float32]{U: u, I: gs[j], R: r, DU: d, DI: e})
			}
			DecayGrads(wk, out[:cols], out[cols:], st)
		}},
	}
	for _, shape := range []surrogate.Shape{surrogate.SuperSpike, surrogate.Asymptotic, surrogate.Sigmoid, surrogate.Esser} {
		sg := surrogate.Surrogate{Shape: shape, Beta: 10}
		kernels = append(kernels,
			threadKernel{fmt.Sprintf("LIFGradU/%v", shape), n, func(wk *parallel.Workers, out []float32) {
				LIFGradU(wk, out, sg, u, g, 0.9, d, r)
			}},
			threadKernel{fmt.Sprintf("LIFGradUDecay/%v", shape), n, func(wk *parallel.Workers, out []float32) {
				LIFGradUDecay(wk, out, sg, u, g, bm, d, r)
			}},
			threadKernel{fmt.Sprintf("SurrogateGrad/%v", shape), n, func(wk *parallel.Workers, out []float32) {
				SurrogateGrad(wk, out, sg, u, g)
			}})
	}
	for _, k := range kernels {
		var want []float32
		for _, limit := range threadLimits {
			out := edgeVector(rng, k.size) // overwritten
			k.run(parallel.New(limit), out)
			if want == nil {
				want = out
				continue
			}
			sameBits(t, fmt.Sprintf("%s with %d threads", k.name, limit), k.size, out, want)
		}
	}
}

package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The event kernels on the shapes of the SHD benchmark's input layer
// (train.BenchmarkSHDTrainStep): a [700, 128] weight matrix, batches of
// 100 rows with about 10 input events each (1.5 % of 700), one batch per
// time step. Between time steps a training step touches many other
// tensors; "cold" evicts the L2 cache between the steps of the benchmark
// as they do (not timed), "hot" leaves the weights in it.
const (
	benchFanIn, benchCols, benchRows, benchSteps = 700, 128, 100, 16
	benchEventsPerRow                            = 10
)

// benchEvents returns one CSR of random input events per time step.
func benchEvents() []*CSR[float32] {
	rng := rand.New(rand.NewPCG(21, 22))
	cs := make([]*CSR[float32], benchSteps)
	for n := range cs {
		c := &CSR[float32]{}
		for b := 0; b < benchRows; b++ {
			c.Start = append(c.Start, int32(len(c.Col)))
			for e := rng.IntN(2 * benchEventsPerRow); e >= 0; e-- {
				c.Col, c.Val = append(c.Col, int32(rng.IntN(benchFanIn))), append(c.Val, 1)
			}
		}
		c.Start = append(c.Start, int32(len(c.Col)))
		cs[n] = c
	}
	return cs
}

// evict writes buf, larger than the L2 cache.
func evict(buf []float32) {
	for i := 0; i < len(buf); i += 16 {
		buf[i]++
	}
}

func BenchmarkEvents(b *testing.B) {
	cs := benchEvents()
	rng := rand.New(rand.NewPCG(23, 24))
	w := make([]float32, benchFanIn*benchCols)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	g := make([]float32, benchRows*benchCols)
	for i := range g {
		g[i] = float32(rng.NormFloat64())
	}
	out := make([]float32, benchRows*benchCols)
	dw := make([]float32, len(w))
	junk := make([]float32, 1<<19) // 2 MiB
	addScaled := addScaledFor[float32]()
	for _, cold := range []bool{false, true} {
		name := "hot"
		if cold {
			name = "cold"
		}
		// The median time per event of the time steps: a step takes some
		// 20 µs, and few are slowed down by the other tenants of a shared
		// machine, which the total time reflects.
		run := func(b *testing.B, step func(c *CSR[float32])) {
			per := make([]float64, 0, b.N*len(cs))
			for i := 0; i < b.N; i++ {
				for _, c := range cs {
					if cold {
						evict(junk)
					}
					t := time.Now()
					step(c)
					per = append(per, float64(time.Since(t).Nanoseconds())/float64(len(c.Col)))
				}
			}
			slices.Sort(per)
			b.ReportMetric(per[len(per)/2], "ns/event")
		}
		b.Run("gather/"+name, func(b *testing.B) {
			run(b, func(c *CSR[float32]) {
				clear(out)
				gatherIndexed(out, 0.5, nil, c, w, 0, benchRows, benchCols, addScaled)
			})
		})
		b.Run("scatter/"+name, func(b *testing.B) {
			run(b, func(c *CSR[float32]) {
				scatterEvents(dw, 0, g, 0.5, c, benchCols, addScaled)
			})
		})
	}
}

// BenchmarkWeightGrad is the input layer's weight gradient over the time
// steps of BenchmarkEvents, on one and on two threads, with the median
// time of a call as in BenchmarkEvents.
func BenchmarkWeightGrad(b *testing.B) {
	cs := benchEvents()
	rng := rand.New(rand.NewPCG(25, 26))
	xs := make([][]float32, len(cs))
	gs := make([][]float32, len(cs))
	for j := range gs {
		gs[j] = make([]float32, benchRows*benchCols)
		for i := range gs[j] {
			gs[j][i] = float32(rng.NormFloat64())
		}
	}
	out := make([]float32, benchFanIn*benchCols)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			wk := parallel.New(threads)
			per := make([]float64, b.N)
			for i := range per {
				t := time.Now()
				WeightGrad(wk, out, benchFanIn, benchCols, 0.5, xs, cs, gs)
				per[i] = float64(time.Since(t).Microseconds())
			}
			slices.Sort(per)
			b.ReportMetric(per[len(per)/2], "median-µs/op")
		})
	}
}

// BenchmarkHeavisideRows is the spikes and their index of the SHD
// benchmark's hidden layer at one time step: [100, 128], about 3 spikes a
// row.
func BenchmarkHeavisideRows(b *testing.B) {
	rng := rand.New(rand.NewPCG(27, 28))
	u := make([]float32, benchRows*benchCols)
	for i := range u {
		u[i] = float32(rng.Float64() * 1.025)
	}
	out := make([]float32, len(u))
	var c CSR[float32]
	const group = 20 // calls timed together: the clock ticks every few µs
	per := make([]float64, (b.N+group-1)/group)
	for i := range per {
		t := time.Now()
		for range group {
			HeavisideRows(out, &c, u, benchCols)
		}
		per[i] = float64(time.Since(t).Nanoseconds()) / group
	}
	slices.Sort(per)
	b.ReportMetric(per[len(per)/2]/1e3, "median-µs/op")
}

// BenchmarkLIFGradUProj is the backward step of the SHD benchmark's hidden
// layer at one time step, through the output layer's weights [128, 20] and
// through recurrent weights [128, 128], on one thread.
func BenchmarkLIFGradUProj(b *testing.B) {
	rng := rand.New(rand.NewPCG(29, 30))
	normal := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	const hidden = benchCols
	u, d := normal(benchRows*hidden), normal(benchRows*hidden)
	r := make([]float32, len(u))
	out := make([]float32, len(u))
	s := surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}
	wk := parallel.New(1)
	for _, cols := range []int{20, hidden} {
		g, w := normal(benchRows*cols), normal(hidden*cols)
		b.Run(fmt.Sprintf("cols=%d", cols), func(b *testing.B) {
			const group = 10
			per := make([]float64, (b.N+group-1)/group)
			for i := range per {
				t := time.Now()
				for range group {
					LIFGradUProj(wk, out, s, u, r, g, w, d, cols, 0.9, 0.5)
				}
				per[i] = float64(time.Since(t).Nanoseconds()) / group
			}
			slices.Sort(per)
			b.ReportMetric(per[len(per)/2]/1e3, "median-µs/op")
		})
	}
}

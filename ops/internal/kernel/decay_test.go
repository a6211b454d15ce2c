package kernel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The per-neuron kernels compute, bit for bit, their formula element by
// element with the decay of each element's column, in place as well as
// into a fresh output, with nil operands as zeros.
func TestDecayKernelsMatchScalar(t *testing.T) {
	const rows, cols, fanIn = 7, 13, 9
	rng := rand.New(rand.NewPCG(5, 6))
	vec := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 4*rng.Float64() - 2
		}
		return x
	}
	spikes := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			if rng.IntN(4) == 0 {
				x[i] = 1
			}
		}
		return x
	}
	n := rows * cols
	u, i, g, d, e, c := vec(n), vec(n), vec(n), vec(n), vec(n), vec(n)
	r, x := spikes(n), spikes(rows*fanIn)
	bm, bs, w := vec(cols), vec(cols), vec(fanIn*cols)
	wk := parallel.New(2)
	check := func(name string, got []float64, want func(k int) float64) {
		t.Helper()
		for k := range got {
			if w := want(k); math.Float64bits(got[k]) != math.Float64bits(w) {
				t.Fatalf("%s: element %d is %v, want %v", name, k, got[k], w)
			}
		}
	}
	or0 := func(x []float64, k int) float64 {
		if x == nil {
			return 0
		}
		return x[k]
	}
	for _, nils := range []bool{false, true} {
		ui, ri, ei := i, r, e
		if nils {
			ui, ri, ei = nil, nil, nil
		}
		out := make([]float64, n)
		MembraneDecay(wk, out, bm, u, ui, ri)
		check("MembraneDecay", out, func(k int) float64 {
			b := bm[k%cols]
			v := b*u[k] + (1-b)*or0(ui, k)
			if ri != nil {
				v *= 1 - ri[k]
			}
			return v
		})
		inPlace := append([]float64(nil), u...)
		MembraneDecay(wk, inPlace, bm, inPlace, ui, ri)
		check("MembraneDecay in place", inPlace, func(k int) float64 { return out[k] })

		LIFGradIDecay(wk, out, d, bm, bs, ei, ri)
		check("LIFGradIDecay", out, func(k int) float64 {
			v := (1 - bm[k%cols]) * d[k]
			if ri != nil {
				v *= 1 - ri[k]
			}
			if ei != nil {
				v += bs[k%cols] * ei[k]
			}
			return v
		})
		inPlace = append(inPlace[:0], d...)
		LIFGradIDecay(wk, inPlace, inPlace, bm, bs, ei, ri)
		check("LIFGradIDecay in place", inPlace, func(k int) float64 { return out[k] })

		for _, shape := range []surrogate.Shape{surrogate.SuperSpike, surrogate.Sigmoid, surrogate.Esser} {
			s := surrogate.Surrogate{Shape: shape, Beta: 10}
			LIFGradUDecay(wk, out, s, u, g, bm, d, ri)
			check("LIFGradUDecay", out, func(k int) float64 {
				m := bm[k%cols]
				if ri != nil {
					m *= 1 - ri[k]
				}
				h := make([]float64, 1)
				surrogateGrad(h, s, u[k:k+1], g[k:k+1])
				return h[0] + m*d[k]
			})
			inPlace = append(inPlace[:0], d...)
			LIFGradUDecay(wk, inPlace, s, u, g, bm, inPlace, ri)
			check("LIFGradUDecay in place", inPlace, func(k int) float64 { return out[k] })
		}

		ResetGradDecay(wk, out, bm, u, ui, g)
		check("ResetGradDecay", out, func(k int) float64 {
			b := bm[k%cols]
			return -(b*u[k] + (1-b)*or0(ui, k)) * g[k]
		})
	}

	// LIFGradUProjDecay: BackProj, then LIFGradUDecay, without storing dS.
	{
		ui, ri, di, gout := vec(rows*fanIn), spikes(rows*fanIn), vec(rows*fanIn), vec(rows*cols)
		bIn := vec(fanIn)
		s := surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}
		ds, want := make([]float64, rows*fanIn), make([]float64, rows*fanIn)
		BackProj(wk, ds, 0.7, gout, w, cols)
		LIFGradUDecay(wk, want, s, ui, ds, bIn, di, ri)
		got := make([]float64, rows*fanIn)
		LIFGradUProjDecay(wk, got, s, ui, ri, gout, w, di, cols, bIn, 0.7)
		check("LIFGradUProjDecay", got, func(k int) float64 { return want[k] })

		// The adaptive LIF's likewise.
		ei, a, b := vec(rows*fanIn), vec(fanIn), vec(fanIn)
		AdaptiveGradU(wk, want, s, ui, ds, bIn, a, b, di, ei)
		AdaptiveGradUProj(wk, got, s, ui, gout, w, cols, 0.7, bIn, a, b, di, ei)
		check("AdaptiveGradUProj", got, func(k int) float64 { return want[k] })
	}

	// SynapseDecay: β·c, then the rows of W in order of the inputs.
	out := make([]float64, n)
	SynapseDecay(wk, out, rows, bs, c, x, nil, w, nil, nil, nil)
	check("SynapseDecay", out, func(k int) float64 {
		b, j := k/cols, k%cols
		v := bs[j] * c[k]
		for q := 0; q < fanIn; q++ {
			if x[b*fanIn+q] != 0 {
				v += x[b*fanIn+q] * w[q*cols+j]
			}
		}
		return v
	})
	inPlace := append([]float64(nil), c...)
	SynapseDecay(wk, inPlace, rows, bs, inPlace, nil, csrOf(x, rows), w, nil, nil, nil)
	check("SynapseDecay in place, indexed", inPlace, func(k int) float64 { return out[k] })

	// DecayGrads: the sums of the package doc, steps first, then rows.
	steps := []DecayStep[float64]{{U: u, I: i, R: r, DU: d, DI: e}, {U: nil, I: c, R: nil, DU: g, DI: nil}, {U: g, DU: e}}
	mem, syn := make([]float64, cols), make([]float64, cols)
	DecayGrads(wk, mem, syn, steps)
	for j := 0; j < cols; j++ {
		var wm, ws float64
		for _, st := range steps {
			for b := 0; b < rows; b++ {
				k := b*cols + j
				gm := st.DU[k]
				if st.R != nil {
					gm *= 1 - st.R[k]
				}
				wm += gm * (or0(st.U, k) - or0(st.I, k))
				if st.DI != nil && st.I != nil {
					ws += st.DI[k] * st.I[k]
				}
			}
		}
		if math.Float64bits(mem[j]) != math.Float64bits(wm) || math.Float64bits(syn[j]) != math.Float64bits(ws) {
			t.Fatalf("DecayGrads column %d: %v, %v, want %v, %v", j, mem[j], syn[j], wm, ws)
		}
	}
}

package lif_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
)

// readoutCase builds, in a graph of its own, the logits of a leaky readout
// over inputs (nil entries are nil nodes) with weights w, fused
// (lif.ReadoutMax) or per step (as graph.LeakyReadout: lif.Membrane,
// Synapses.Step, ops.MaxOverTime), a loss Σ c·logits, and returns the
// logits and the gradients of the loss in w and the inputs, after a run.
func readoutCase(t *testing.T, fused bool, dt tensor.Dtype, inputs [][]float64, rows, fanIn int, w, c []float64) [][]float64 {
	t.Helper()
	// Variables, as in graph.LeakyReadout: 1 − β_out is then rounded as
	// there, not folded exactly by the compiler.
	betaSyn, betaOut := 0.8, 0.9
	g := G.NewGraph()
	cols := len(w) / fanIn
	val := func(v []float64, shape ...int) tensor.Tensor {
		if dt == tensor.Float32 {
			f := make([]float32, len(v))
			for i, x := range v {
				f[i] = float32(x)
			}
			return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	}
	wn := G.NewMatrix(g, dt, G.WithName("W"), G.WithValue(val(w, fanIn, cols)))
	in := make([]*G.Node, len(inputs))
	var wrt G.Nodes
	wrt = append(wrt, wn)
	for n, x := range inputs {
		if x != nil {
			in[n] = G.NewMatrix(g, dt, G.WithName(fmt.Sprintf("x%d", n)), G.WithValue(val(x, rows, fanIn)))
			if n < len(inputs)-1 { // x[T−1] would only feed I_o[T], never read
				wrt = append(wrt, in[n])
			}
		}
	}
	var logits *G.Node
	var err error
	if fused {
		logits, err = lif.ReadoutMax(betaSyn, betaOut, in, wn)
	} else {
		syn := lif.NewSynapses(wn, nil)
		var cur, pot *G.Node
		var live []*G.Node
		for n := range in {
			if pot != nil || cur != nil {
				if pot, err = lif.Membrane(betaOut, pot, cur, nil); err != nil {
					t.Fatal(err)
				}
				live = append(live, pot)
			}
			if n == len(in)-1 {
				break
			}
			if cur, err = syn.Step(betaSyn, cur, 1-betaOut, in[n], nil); err != nil {
				t.Fatal(err)
			}
		}
		logits, err = ops.MaxOverTime(len(live) < len(in), live...)
	}
	if err != nil {
		t.Fatal(err)
	}
	cn := G.NewMatrix(g, dt, G.WithName("c"), G.WithValue(val(c, rows, cols)))
	prod, err := G.HadamardProd(logits, cn)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, wrt...)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := [][]float64{floats(logits.Value())}
	for _, gn := range grads {
		out = append(out, floats(gn.Value()))
	}
	return out
}

func floats(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return d
	}
	return nil
}

// ReadoutMax computes, bit for bit, what the per-step readout and
// ops.MaxOverTime compute: the logits, W's gradient and every input's,
// with and without leading nil inputs, on sparse analog inputs whose
// maxima fall at various steps (ties included, where the readout stays at
// zero).
func TestReadoutMaxMatchesPerStep(t *testing.T) {
	const T, rows, fanIn, cols = 12, 3, 5, 4
	rng := rand.New(rand.NewPCG(3, 25))
	draw := func(n int, sparse float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			if rng.Float64() >= sparse {
				v[i] = math.Round(rng.NormFloat64()*100) / 50
			}
		}
		return v
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, lead := range []int{0, 1, 3} {
			inputs := make([][]float64, T)
			for n := lead; n < T; n++ {
				inputs[n] = draw(rows*fanIn, 0.6)
			}
			w, c := draw(fanIn*cols, 0), draw(rows*cols, 0.2)
			want := readoutCase(t, false, dt, inputs, rows, fanIn, w, c)
			got := readoutCase(t, true, dt, inputs, rows, fanIn, w, c)
			for k := range want {
				for i := range want[k] {
					if math.Float64bits(got[k][i]) != math.Float64bits(want[k][i]) {
						t.Fatalf("%v, %d nil inputs: output %d (logits, then gradients of W and the inputs), element %d: %v, per step %v",
							dt, lead, k, i, got[k][i], want[k][i])
					}
				}
			}
		}
	}
}

// Package neurontest holds what the gradient checks of neuron models
// share: random spike inputs and one forward and backward pass of a
// model's Gorgonia graph, to set against a model's plain-Go reference.
package neurontest

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Inputs returns B random binary spike trains, [B][T·inputs], and labels.
func Inputs(s network.Spec, B int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	x := make([][]float64, B)
	labels := make([]int, B)
	for b := range x {
		x[b] = make([]float64, s.Steps*s.Inputs)
		for i := range x[b] {
			if rng.Float64() < 0.3 {
				x[b][i] = 1
			}
		}
		labels[b] = b % s.Outputs
	}
	return x, labels
}

// GraphGrads runs models.New's graph of s forward and backward once on
// x and labels (float64) and returns the gradients of its learnables, in
// Weights.All order, and the loss.
func GraphGrads(t testing.TB, s network.Spec, w *models.Weights, x [][]float64, labels []int) ([][]float64, float64) {
	t.Helper()
	B := len(x)
	m, err := models.New(s, B, w, models.Threads(1))
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float64, s.Steps*B*s.Inputs)
	for n := 0; n < s.Steps; n++ {
		for b := range x {
			copy(v[(n*B+b)*s.Inputs:], x[b][n*s.Inputs:(n+1)*s.Inputs])
		}
	}
	if err := G.Let(m.Input, tensor.New(tensor.WithShape(s.Steps*B, s.Inputs), tensor.WithBacking(v))); err != nil {
		t.Fatal(err)
	}
	onehot := make([]float64, B*s.Outputs)
	for b, k := range labels {
		onehot[b*s.Outputs+k] = 1
	}
	if err := G.Let(m.Targets, tensor.New(tensor.WithShape(B, s.Outputs), tensor.WithBacking(onehot))); err != nil {
		t.Fatal(err)
	}
	learn := m.Learnables()
	if _, err := G.Grad(m.Loss, learn...); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(m.Graph, G.BindDualValues(learn...))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	var grads [][]float64
	for _, n := range learn {
		g, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		grads = append(grads, append([]float64(nil), g.Data().([]float64)...))
	}
	return grads, m.Loss.Value().Data().(float64)
}

// CompareGradients fails t where the graph's loss and gradients (got, in
// Weights.All order, named by names) differ from a reference's by more
// than 1e-9 relative to max(1, the largest entry of the reference's
// matrix), and where a case tests nothing: a hidden layer of the
// reference without a spike (spikes, per layer), or a reference gradient
// that is zero. It returns the largest relative difference.
func CompareGradients(t testing.TB, names []string, got [][]float64, loss, refLoss float64, refGrads [][]float64, spikes []float64) float64 {
	t.Helper()
	if math.Abs(loss-refLoss) > 1e-9*math.Max(1, math.Abs(refLoss)) {
		t.Errorf("loss %v, reference %v", loss, refLoss)
	}
	for l, n := range spikes {
		if n == 0 {
			t.Fatalf("no neuron of hidden layer %d spiked: the case tests nothing", l)
		}
	}
	if len(got) != len(refGrads) || len(names) != len(refGrads) {
		t.Fatalf("%d gradients and %d names, reference %d", len(got), len(names), len(refGrads))
	}
	worst := 0.0
	for i, name := range names {
		g, want := got[i], refGrads[i]
		scale := 0.0
		for _, v := range want {
			scale = math.Max(scale, math.Abs(v))
		}
		if scale == 0 {
			t.Errorf("%s: the reference gradient is zero: the case tests nothing", name)
		}
		for j := range want {
			d := math.Abs(g[j]-want[j]) / math.Max(1, scale)
			worst = math.Max(worst, d)
			if d > 1e-9 {
				t.Errorf("%s[%d] = %v, reference %v", name, j, g[j], want[j])
				break
			}
		}
	}
	return worst
}

// The plain-Go references' linear algebra, one sample at a time.

// Project returns x·M for M [len(x), cols].
func Project(x, M []float64, cols int) []float64 {
	out := make([]float64, cols)
	for i, v := range x {
		if v != 0 {
			for j := range out {
				out[j] += v * M[i*cols+j]
			}
		}
	}
	return out
}

// Back returns g·Mᵀ for M [rows, len(g)].
func Back(g, M []float64, rows int) []float64 {
	out := make([]float64, rows)
	for i := range out {
		for j, v := range g {
			out[i] += M[i*len(g)+j] * v
		}
	}
	return out
}

// Outer adds xᵀ·g to dst [len(x), len(g)].
func Outer(dst, x, g []float64) {
	for i, v := range x {
		if v != 0 {
			for j, gj := range g {
				dst[i*len(g)+j] += v * gj
			}
		}
	}
}

// AddTo adds x to dst.
func AddTo(dst, x []float64) {
	for i := range dst {
		dst[i] += x[i]
	}
}

// The plain-Go references' loss, one sample at a time: the readout's
// potentials U_o[0…T] (U_o[0] = 0) reduced over time as s.Readout says,
// softmax cross-entropy, and the loss's gradient back on U_o.

// Loss returns sample b's share of the mean cross-entropy over B samples
// of the logits of uo for label, and dLoss/dU_o[n], n = 0 … T+1 (the last
// a zero row, so that the backward recurrences may read n+1).
func Loss(s network.Spec, uo [][]float64, label int, B float64) (float64, [][]float64) {
	T, K := len(uo)-1, len(uo[0])
	logits, at := make([]float64, K), make([]int, K)
	for k := range logits {
		if s.Readout == network.SumOverTime {
			for n := 1; n <= T; n++ {
				logits[k] += uo[n][k]
			}
			continue
		}
		logits[k], at[k] = uo[1][k], 1
		for n := 2; n <= T; n++ {
			if uo[n][k] > logits[k] {
				logits[k], at[k] = uo[n][k], n
			}
		}
	}
	mx := math.Inf(-1)
	for _, v := range logits {
		mx = math.Max(mx, v)
	}
	z := 0.0
	for _, v := range logits {
		z += math.Exp(v - mx)
	}
	guo := make([][]float64, T+2)
	for n := range guo {
		guo[n] = make([]float64, K)
	}
	for k, v := range logits {
		d := math.Exp(v-mx) / z / B
		if k == label {
			d -= 1 / B
		}
		if s.Readout == network.SumOverTime {
			for n := 1; n <= T; n++ {
				guo[n][k] += d
			}
		} else {
			guo[at[k]][k] += d
		}
	}
	return (math.Log(z) + mx - logits[label]) / B, guo
}

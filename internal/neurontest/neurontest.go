// Package neurontest holds what the gradient checks of neuron models
// share: random spike inputs and one forward and backward pass of a
// model's Gorgonia graph, to set against a model's plain-Go reference.
package neurontest

import (
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
	for n, node := range m.Inputs {
		v := make([]float64, B*s.Inputs)
		for b := range x {
			copy(v[b*s.Inputs:], x[b][n*s.Inputs:(n+1)*s.Inputs])
		}
		if err := G.Let(node, tensor.New(tensor.WithShape(B, s.Inputs), tensor.WithBacking(v))); err != nil {
			t.Fatal(err)
		}
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

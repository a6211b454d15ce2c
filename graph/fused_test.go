package graph_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/surrogate"
)

// The fused backward pass needs the spikes that reach the loss to be a
// prefix in time. A loss on the last membrane potential alone breaks that:
// G.Grad must fail rather than return a wrong gradient, and the plain
// backward pass must work.
func TestFusedNeedsSpikePrefix(t *testing.T) {
	for _, fused := range []bool{false, true} {
		const T = 8
		g := G.NewGraph()
		in := make([]*G.Node, T)
		for n := range in {
			x := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 0, 1, 0, 1, 1}))
			in[n] = G.NewMatrix(g, tensor.Float64, G.WithName(fmt.Sprintf("in%d", n)), G.WithValue(x))
		}
		w := G.NewMatrix(g, tensor.Float64, G.WithName("W"),
			G.WithValue(tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float64{3, 1, 2, 1, 4, 0.5}))))
		layer, err := graph.LIF(in, w, nil, graph.LIFConfig{
			BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10),
			Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}, Fused: fused,
		})
		if err != nil {
			t.Fatal(err)
		}
		cost, err := G.Sum(layer.Potentials[T-1])
		if err != nil {
			t.Fatal(err)
		}
		_, err = G.Grad(cost, w)
		if fused && err == nil {
			t.Error("fused: a loss on U[T−1] alone must make G.Grad fail")
		}
		if !fused && err != nil {
			t.Errorf("plain: %v", err)
		}
	}
}

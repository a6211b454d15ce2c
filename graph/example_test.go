package graph_test

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/surrogate"
)

// An LIF layer inside a caller's own Gorgonia graph: one input neuron that
// fires at step 0 drives two LIF neurons, one strongly and one weakly. The
// strong one crosses threshold two steps later (the layer's latency), is
// reset, and fires once more while its synaptic current decays; the weak one
// never fires.
func ExampleLIF() {
	const T = 8
	g := G.NewGraph()
	in := make([]*G.Node, T)
	for n := range in {
		x := tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float64{0}))
		if n == 0 {
			x.Set(0, 1.0)
		}
		in[n] = G.NewMatrix(g, tensor.Float64, G.WithName(fmt.Sprintf("in%d", n)), G.WithValue(x))
	}
	w := G.NewMatrix(g, tensor.Float64, G.WithName("W"),
		G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{12, 3}))))
	layer, err := graph.LIF(in, w, nil, graph.LIFConfig{
		BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10),
		Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10},
	})
	if err != nil {
		panic(err)
	}
	// The caller could now attach a loss and call G.Grad; here we just run.
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		panic(err)
	}
	for n, s := range layer.Spikes {
		if s == nil {
			fmt.Printf("step %d: no spike possible yet\n", n)
			continue
		}
		fmt.Printf("step %d: spikes %v\n", n, s.Value().Data())
	}
	fmt.Println("spike counts:", layer.Count.Value().Data())
	// Output:
	// step 0: no spike possible yet
	// step 1: no spike possible yet
	// step 2: spikes [1 0]
	// step 3: spikes [0 0]
	// step 4: spikes [0 0]
	// step 5: spikes [1 0]
	// step 6: spikes [0 0]
	// step 7: spikes [0 0]
	// spike counts: [2 0]
}

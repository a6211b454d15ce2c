package graph_test

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/surrogate"
)

// A LIFConfig must say which surrogate it wants: a zero Surrogate is an
// error, not the constant surrogate h = 1 that it used to mean. The paper's
// β = 0 control asks for that one by name, surrogate.Constant().
func ExampleLIFConfig_surrogate() {
	build := func(s surrogate.Surrogate) error {
		g := G.NewGraph()
		in := []*G.Node{G.NewMatrix(g, tensor.Float64, G.WithShape(1, 1), G.WithName("x"), G.WithInit(G.Zeroes()))}
		w := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 2), G.WithName("W"), G.WithInit(G.Zeroes()))
		_, err := graph.LIF(in, w, nil, graph.LIFConfig{BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10), Surrogate: s})
		return err
	}
	fmt.Println("zero Surrogate:", build(surrogate.Surrogate{}))
	fmt.Println(surrogate.Constant(), "error:", build(surrogate.Constant()))
	fmt.Println("h(0.5) =", surrogate.Constant().Deriv(0.5))
	// Output:
	// zero Surrogate: graph: LIFConfig.Surrogate: surrogate not set (the zero Surrogate): choose a Shape, or surrogate.Constant() for the constant h = 1
	// superspike(β=0) error: <nil>
	// h(0.5) = 1
}

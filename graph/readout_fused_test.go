package graph_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Build takes an LIFNeuron's logits from lif.ReadoutMax, not from the
// per-step potentials it also builds (Readout.Potentials): the two must
// agree bit for bit, for every configuration of the readout. A change to
// the readout's step must change both.
func TestBuildLogitsArePotentialsMax(t *testing.T) {
	const T, B, inputs, hidden, outputs = 30, 4, 6, 5, 3
	rng := rand.New(rand.NewPCG(7, 25))
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, c := range []struct{ recurrent, euler bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
			recurrent := c.recurrent
			g := G.NewGraph()
			val := func(n int, density, scale float64, shape ...int) tensor.Tensor {
				v := make([]float64, n)
				for i := range v {
					if rng.Float64() < density {
						v[i] = rng.NormFloat64() * scale
					}
				}
				if dt == tensor.Float32 {
					f := make([]float32, n)
					for i, x := range v {
						f[i] = float32(x)
					}
					return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
				}
				return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
			}
			in := make([]*G.Node, T)
			for n := range in {
				in[n] = G.NewMatrix(g, dt, G.WithName(fmt.Sprintf("in%d", n)), G.WithValue(val(B*inputs, 0.3, 1, B, inputs)))
			}
			p := []graph.Params{
				{W: G.NewMatrix(g, dt, G.WithName("W0"), G.WithValue(val(inputs*hidden, 1, 2, inputs, hidden)))},
				{W: G.NewMatrix(g, dt, G.WithName("W1"), G.WithValue(val(hidden*outputs, 1, 1, hidden, outputs)))},
			}
			if recurrent {
				p[0].V = G.NewMatrix(g, dt, G.WithName("V0"), G.WithValue(val(hidden*hidden, 1, 0.5, hidden, hidden)))
			}
			betaSyn, betaMem, betaOut := math.Exp(-1.0/5), math.Exp(-1.0/10), math.Exp(-1.0/20)
			net, err := graph.Build(in, graph.LIFNeuron{
				LIF: graph.LIFConfig{BetaSyn: betaSyn, BetaMem: betaMem, Fused: true,
					Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}},
				Out:   graph.ReadoutConfig{BetaSyn: betaSyn, BetaOut: betaOut},
				Euler: []bool{c.euler, c.euler},
			}, p, network.MaxOverTime)
			if err != nil {
				t.Fatal(err)
			}
			var live []*G.Node
			for _, u := range net.Out.Potentials {
				if u != nil {
					live = append(live, u)
				}
			}
			want, err := ops.MaxOverTime(len(live) < T, live...)
			if err != nil {
				t.Fatal(err)
			}
			m := G.NewTapeMachine(g)
			if err := m.RunAll(); err != nil {
				t.Fatal(err)
			}
			m.Close()
			got, exp := floats(net.Out.Logits.Value()), floats(want.Value())
			spikes := 0.0
			for _, c := range floats(net.Hidden[0].Count.Value()) {
				spikes += c
			}
			if spikes == 0 {
				t.Fatalf("%v, recurrent %v: no hidden spikes: the test sees nothing", dt, recurrent)
			}
			for i := range exp {
				if math.Float64bits(got[i]) != math.Float64bits(exp[i]) {
					t.Fatalf("%v, recurrent %v: logit %d is %v, the maximum of the potentials %v", dt, recurrent, i, got[i], exp[i])
				}
			}
		}
	}
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

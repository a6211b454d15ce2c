package graph_test

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/surrogate"
)

// recorder is a neuron model that notes what Build asks of it.
type recorder struct {
	graph.LIFNeuron
	hidden  []int       // layer numbers Hidden was called with
	inputs  [][]*G.Node // what each call read
	readIn  []*G.Node   // the readout's input
	params  []graph.Params
	outputs []*graph.Layer
}

func (r *recorder) Hidden(in []*G.Node, p graph.Params, layer int) (*graph.Layer, error) {
	l, err := r.LIFNeuron.Hidden(in, p, layer)
	r.hidden, r.inputs, r.params, r.outputs = append(r.hidden, layer), append(r.inputs, in), append(r.params, p), append(r.outputs, l)
	return l, err
}

func (r *recorder) Readout(in []*G.Node, p graph.Params) ([]*G.Node, error) {
	r.readIn, r.params = in, append(r.params, p)
	return r.LIFNeuron.Readout(in, p)
}

// Build hands each layer its own parameters and the spikes of the layer
// below, numbers the hidden layers, and reduces the readout's potentials.
func TestBuildComposesThroughTheNeuron(t *testing.T) {
	g := G.NewGraph()
	const B, T = 2, 12
	sizes := []int{3, 5, 4, 2}
	var in []*G.Node
	for n := 0; n < T; n++ {
		in = append(in, G.NewMatrix(g, tensor.Float64, G.WithShape(B, sizes[0]), G.WithName(fmt.Sprintf("in%d", n))))
	}
	var layers []graph.Params
	for l := 0; l+1 < len(sizes); l++ {
		p := graph.Params{W: G.NewMatrix(g, tensor.Float64, G.WithShape(sizes[l], sizes[l+1]), G.WithName(fmt.Sprintf("W%d", l)))}
		if l+2 < len(sizes) {
			p.V = G.NewMatrix(g, tensor.Float64, G.WithShape(sizes[l+1], sizes[l+1]), G.WithName(fmt.Sprintf("V%d", l)))
		}
		layers = append(layers, p)
	}
	r := &recorder{LIFNeuron: graph.LIFNeuron{
		LIF: graph.LIFConfig{BetaSyn: 0.8, BetaMem: 0.9, Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}},
		Out: graph.ReadoutConfig{BetaSyn: 0.8, BetaOut: 0.95},
	}}
	net, err := graph.Build(in, r, layers, network.SumOverTime)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(r.hidden) != "[0 1]" || len(net.Hidden) != 2 {
		t.Fatalf("hidden layers built %v, net has %d", r.hidden, len(net.Hidden))
	}
	for l, p := range r.params {
		if p.W != layers[l].W || p.V != layers[l].V {
			t.Errorf("layer %d got the parameters of another", l)
		}
	}
	same := func(a, b []*G.Node) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	if !same(r.inputs[0], in) || !same(r.inputs[1], r.outputs[0].Spikes) || !same(r.readIn, r.outputs[1].Spikes) {
		t.Error("a layer does not read the spikes of the layer below")
	}
	if net.Out.Logits == nil || len(net.Out.Potentials) != T {
		t.Errorf("readout: logits %v, %d potentials", net.Out.Logits, len(net.Out.Potentials))
	}
	if _, err := graph.Build(in, r, nil, network.SumOverTime); err == nil {
		t.Error("Build without layers: want an error")
	}
}

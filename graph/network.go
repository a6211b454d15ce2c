package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Weights are the weight nodes of a network: W[l] feeds hidden layer l and
// the last W feeds the readout; V[l] is hidden layer l's recurrent matrix,
// nil for a feed-forward layer (V may be nil altogether).
type Weights struct {
	W []*G.Node
	V []*G.Node
}

// Config sets a whole network's dynamics.
type Config struct {
	LIF     LIFConfig
	Readout ReadoutConfig
}

// Net holds the nodes of an unrolled network.
type Net struct {
	Hidden []*Layer
	Out    *Readout
}

// Build unrolls a network of len(w.W)−1 hidden LIF layers and a readout over
// len(in) steps; in[n] is the [batch, inputs] input at step n.
func Build(in []*G.Node, w Weights, c Config) (*Net, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("graph: Build: no time steps")
	}
	if len(w.W) == 0 {
		return nil, fmt.Errorf("graph: Build: no weight matrices")
	}
	if len(w.V) > len(w.W)-1 {
		return nil, fmt.Errorf("graph: Build: %d recurrent matrices for %d hidden layers", len(w.V), len(w.W)-1)
	}
	net := &Net{}
	x := in
	for l, wl := range w.W[:len(w.W)-1] {
		var v *G.Node
		if l < len(w.V) {
			v = w.V[l]
		}
		layer, err := LIF(x, wl, v, c.LIF)
		if err != nil {
			return nil, fmt.Errorf("hidden layer %d: %w", l+1, err)
		}
		net.Hidden = append(net.Hidden, layer)
		x = layer.Spikes
	}
	out, err := LeakyReadout(x, w.W[len(w.W)-1], c.Readout)
	if err != nil {
		return nil, err
	}
	net.Out = out
	return net, nil
}

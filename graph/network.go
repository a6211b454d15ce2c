package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops/lif"
)

// A Neuron unrolls layers of one neuron model, configured for one
// network (its time constants, surrogate, gradient paths), over len(in)
// steps. Build composes a network from it without knowing the model.
//
// A model's ops must name its layer in their hash wherever two layers
// could otherwise build equal nodes from equal inputs: Gorgonia merges
// such nodes.
type Neuron interface {
	// Hidden unrolls hidden layer number layer: in[n] is its [batch,
	// fan_in] input at step n (nil for zero), p its parameters.
	Hidden(in []*G.Node, p Params, layer int) (*Layer, error)
	// Readout unrolls the non-spiking readout and returns its potentials
	// after each of the len(in) steps, [batch, outputs] (nil for zero);
	// Build reduces them to logits.
	Readout(in []*G.Node, p Params) ([]*G.Node, error)
}

// Params are the parameter nodes of one layer.
type Params struct {
	W *G.Node // feed-forward weights [fan_in, units]
	V *G.Node // recurrent weights [units, units]; nil for a feed-forward layer
	// Neuron are the model's per-neuron parameters, [1, units] each, in
	// the order of network.Neuron.Params.
	Neuron []*G.Node
}

// Net holds the nodes of an unrolled network.
type Net struct {
	Hidden []*Layer
	Out    *Readout
}

// Build unrolls a network of len(layers)−1 hidden layers and a readout of
// the neuron model n over len(in) steps; in[n] is the [batch, inputs]
// input at step n, layers[l] the parameters of layer l, the readout's
// last. The readout's potentials become logits by red.
func Build(in []*G.Node, n Neuron, layers []Params, red network.Reduction) (*Net, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("graph: Build: no time steps")
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("graph: Build: no layers")
	}
	net := &Net{}
	x := in
	for l, p := range layers[:len(layers)-1] {
		layer, err := n.Hidden(x, p, l)
		if err != nil {
			return nil, fmt.Errorf("hidden layer %d: %w", l+1, err)
		}
		net.Hidden = append(net.Hidden, layer)
		x = layer.Spikes
	}
	pots, err := n.Readout(x, layers[len(layers)-1])
	if err != nil {
		return nil, err
	}
	var logits *G.Node
	if f, ok := n.(FusedReadout); ok && red == network.MaxOverTime {
		logits, err = f.ReadoutMax(x, layers[len(layers)-1])
	}
	if logits == nil && err == nil {
		logits, err = reduce(pots, red)
	}
	if err != nil {
		return nil, fmt.Errorf("graph: readout logits: %w", err)
	}
	net.Out = &Readout{Potentials: pots, Logits: logits}
	return net, nil
}

// FusedReadout is a Neuron whose readout also builds its logits (the
// maximum over time of the potentials) as a few fused nodes. Build takes
// the logits from them and leaves the per-step potentials to whoever reads
// them: a program compiled for the logits alone (G.CompileFunction) never
// runs them. Gorgonia's compiler spends time in proportion to nodes ×
// edges (issue 25).
type FusedReadout interface {
	// ReadoutMax returns nil, and no error, for a readout it does not
	// fuse: Build then reduces the potentials. Its logits must be those
	// that the maximum over time of Readout's potentials gives.
	ReadoutMax(in []*G.Node, p Params) (*G.Node, error)
}

// LIFNeuron is the paper's LIF model: hidden layers by LIF, the readout
// by LeakyReadout (Out.Reduction is not read: the reduction is Build's).
// Layers and Euler choose, layer by layer, the explicit-Euler
// discretisation (EulerLIF) instead.
type LIFNeuron struct {
	LIF LIFConfig
	Out ReadoutConfig
	// Layers, when it has an entry for a hidden layer, configures that
	// layer instead of LIF (its decays differ under another
	// discretisation).
	Layers []LIFConfig
	// Euler is empty (the paper's discretisation everywhere) or has an
	// entry per hidden layer and a last one for the readout: true steps
	// that layer by the explicit Euler rule.
	Euler []bool
}

// Hidden unrolls an LIF layer.
func (c LIFNeuron) Hidden(in []*G.Node, p Params, layer int) (*Layer, error) {
	cfg := c.LIF
	if layer < len(c.Layers) {
		cfg = c.Layers[layer]
	}
	if layer < len(c.Euler) && c.Euler[layer] {
		return EulerLIF(in, p.W, p.V, cfg)
	}
	return LIF(in, p.W, p.V, cfg)
}

// Readout unrolls the leaky readout's potentials.
func (c LIFNeuron) Readout(in []*G.Node, p Params) ([]*G.Node, error) {
	if len(c.Euler) > 0 && c.Euler[len(c.Euler)-1] {
		return eulerPotentials(in, p.W, c.Out)
	}
	return leakyPotentials(in, p.W, c.Out)
}

// ReadoutMax is the maximum over time of the leaky readout's potentials,
// computed bit for bit as ops.MaxOverTime over Readout's (lif.ReadoutMax).
// A change to the readout's step (leakyPotentials) must change it too:
// TestBuildLogitsArePotentialsMax compares the two.
func (c LIFNeuron) ReadoutMax(in []*G.Node, p Params) (*G.Node, error) {
	if len(c.Euler) > 0 && c.Euler[len(c.Euler)-1] {
		return nil, nil // the Euler readout's step is not the fused one's
	}
	return lif.ReadoutMax(c.Out.BetaSyn, c.Out.BetaOut, in, p.W)
}

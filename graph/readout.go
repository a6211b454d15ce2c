package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
)

// ReadoutConfig sets the dynamics of the non-spiking readout layer.
type ReadoutConfig struct {
	BetaSyn, BetaOut float64
	Reduction        network.Reduction // LeakyReadout's; Build takes its own
}

// Readout holds the nodes of an unrolled readout layer.
type Readout struct {
	// Potentials are U_o[1 … T], [batch, outputs]; nil entries are zero.
	Potentials []*G.Node
	Logits     *G.Node // [batch, outputs]
}

// LeakyReadout unrolls a readout of leaky integrators over len(in) steps.
// in[n] is [batch, fan_in] (nil for zero), w is [fan_in, outputs]. Each step
// is two nodes, the synaptic update (lif.Synapses, current scaled by
// 1 − β_out) and the leak (lif.Membrane without reset); the maximum over
// time is one ops.MaxOverTime node.
func LeakyReadout(in []*G.Node, w *G.Node, c ReadoutConfig) (*Readout, error) {
	pots, err := leakyPotentials(in, w, c)
	if err != nil {
		return nil, err
	}
	r := &Readout{Potentials: pots}
	if r.Logits, err = reduce(pots, c.Reduction); err != nil {
		return nil, fmt.Errorf("graph: readout logits: %w", err)
	}
	return r, nil
}

// leakyPotentials unrolls the leaky readout's potentials U_o[1 … T].
func leakyPotentials(in []*G.Node, w *G.Node, c ReadoutConfig) ([]*G.Node, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaOut", c.BetaOut); err != nil {
		return nil, err
	}
	T := len(in)
	pots := make([]*G.Node, T)
	syn := lif.NewSynapses(w, nil)
	var cur, pot *G.Node // (1 − β_out)·I_o[n], U_o[n]
	var err error
	for n := 0; n < T; n++ {
		if pot != nil || cur != nil {
			if pot, err = lif.Membrane(c.BetaOut, pot, cur, nil); err != nil {
				return nil, fmt.Errorf("graph: readout step %d: %w", n, err)
			}
		}
		pots[n] = pot
		if n == T-1 {
			break // I_o[T] is never read
		}
		if cur, err = syn.Step(c.BetaSyn, cur, 1-c.BetaOut, in[n], nil); err != nil {
			return nil, fmt.Errorf("graph: readout step %d: %w", n, err)
		}
	}
	return pots, nil
}

// reduce builds the logits. Leading nil potentials are zeros that still
// take part in the maximum.
func reduce(pots []*G.Node, red network.Reduction) (*G.Node, error) {
	var live []*G.Node
	for _, p := range pots {
		if p != nil {
			live = append(live, p)
		}
	}
	if len(live) == 0 {
		return nil, fmt.Errorf("no readout potential can be non-zero within %d steps", len(pots))
	}
	switch red {
	case network.SumOverTime:
		return sumNonNil(live)
	case network.MaxOverTime:
		return ops.MaxOverTime(len(live) < len(pots), live...)
	}
	return nil, fmt.Errorf("unknown reduction %v", red)
}

package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
)

// This file holds the explicit-Euler discretisation of the LIF layer and
// of the readout (docs/conventions.md, "Explicit Euler"): a step's input
// reaches the current and the membrane in the same step, and a spike sets
// the membrane to zero after the step, so the input of the next step is
// integrated. It is how snnTorch's Synaptic and Norse's CubaLIF step NIR's
// CubaLIF; with it an exported network computes the same spikes there.
// The decays are the Euler factors 1 − Δt/τ, which package models derives
// from the settings; here they are plain numbers as in the paper's layer.

// EulerLIF unrolls a hidden layer over len(in) steps by the explicit Euler
// rule, with the arguments of LIF:
//
//	I[n] = β_syn·I[n−1] + S_in[n]·W (+ S[n−1]·V)
//	U[n] = β_mem·U[n−1]·(1 − S[n−1]) + (1 − β_mem)·I[n]
//	S[n] = H(U[n] − 1)
//
// with I[−1] = U[−1] = S[−1] = 0. The reset and the recurrent input are
// detached as in LIF unless c says otherwise; c.Fused is not read (each
// step is the plain ops: a synaptic update, a membrane leak with its
// reset, a sum and a spike).
func EulerLIF(in []*G.Node, w, v *G.Node, c LIFConfig) (*Layer, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaMem", c.BetaMem); err != nil {
		return nil, err
	}
	if err := c.Surrogate.Validate(); err != nil {
		return nil, fmt.Errorf("graph: LIFConfig.Surrogate: %w", err)
	}
	T := len(in)
	l := &Layer{Spikes: make([]*G.Node, T), Potentials: make([]*G.Node, T)}
	syn := lif.NewSynapses(w, v)
	var cur, pot, spk *G.Node // (1 − β_mem)·I[n−1], U[n−1], S[n−1]
	for n := 0; n < T; n++ {
		var reset, rec *G.Node
		if spk != nil {
			detached, err := ops.Detach(spk)
			if err != nil {
				return nil, fmt.Errorf("graph: Euler LIF step %d: %w", n, err)
			}
			reset, rec = detached, detached
			if c.DifferentiableReset {
				reset = spk
			}
			if c.RecurrentGrad {
				rec = spk
			}
		}
		if v == nil {
			rec = nil
		}
		var err error
		if cur, err = syn.Step(c.BetaSyn, cur, 1-c.BetaMem, in[n], rec); err != nil {
			return nil, fmt.Errorf("graph: Euler LIF step %d: %w", n, err)
		}
		if pot != nil {
			if pot, err = lif.Membrane(c.BetaMem, pot, nil, reset); err != nil {
				return nil, fmt.Errorf("graph: Euler LIF step %d: %w", n, err)
			}
		}
		if pot, err = addNonNil(pot, cur); err != nil {
			return nil, fmt.Errorf("graph: Euler LIF step %d: %w", n, err)
		}
		spk = nil
		if pot != nil {
			if spk, err = ops.Spike(pot, c.Surrogate); err != nil {
				return nil, fmt.Errorf("graph: Euler LIF step %d: %w", n, err)
			}
		}
		l.Potentials[n], l.Spikes[n] = pot, spk
	}
	count, err := sumNonNil(l.Spikes)
	if err != nil {
		return nil, fmt.Errorf("graph: Euler LIF spike count: %w", err)
	}
	l.Count = count
	return l, nil
}

// eulerPotentials unrolls the readout by the explicit Euler rule and
// returns U_o[0 … T−1]:
//
//	I_o[n] = β_syn·I_o[n−1] + S[n]·W_out
//	U_o[n] = β_out·U_o[n−1] + (1 − β_out)·I_o[n]
func eulerPotentials(in []*G.Node, w *G.Node, c ReadoutConfig) ([]*G.Node, error) {
	if err := checkDecay("BetaSyn", c.BetaSyn); err != nil {
		return nil, err
	}
	if err := checkDecay("BetaOut", c.BetaOut); err != nil {
		return nil, err
	}
	pots := make([]*G.Node, len(in))
	syn := lif.NewSynapses(w, nil)
	var cur, pot *G.Node // (1 − β_out)·I_o[n], U_o[n]
	var err error
	for n := range in {
		if cur, err = syn.Step(c.BetaSyn, cur, 1-c.BetaOut, in[n], nil); err != nil {
			return nil, fmt.Errorf("graph: Euler readout step %d: %w", n, err)
		}
		if pot != nil || cur != nil {
			if pot, err = lif.Membrane(c.BetaOut, pot, cur, nil); err != nil {
				return nil, fmt.Errorf("graph: Euler readout step %d: %w", n, err)
			}
		}
		pots[n] = pot
	}
	return pots, nil
}

// addNonNil is a + b with nil for zero.
func addNonNil(a, b *G.Node) (*G.Node, error) {
	switch {
	case a == nil:
		return b, nil
	case b == nil:
		return a, nil
	}
	return G.Add(a, b)
}

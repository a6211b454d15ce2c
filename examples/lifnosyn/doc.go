// Package lifnosyn is a neuron model written as a user's module would
// write one, with spikegrad's exported API only: a leaky integrate-and-fire
// neuron without synaptic current, whose input moves the membrane at once.
//
//	S[n]   = H(U[n] − 1)
//	U[n+1] = (β_mem·U[n] + (1 − β_mem)·(S_in[n]·W (+ S[n]·V)))·(1 − Detach(S[n]))
//
// and a readout of leaky integrators without synaptic current,
//
//	U_o[n+1] = β_out·U_o[n] + (1 − β_out)·S_last[n]·W_o,
//
// with β = exp(−Δt/τ) from the settings' tau-mem and tau-readout (tau-syn
// is not used). A spike reaches the next layer one step later, where the
// LIF takes two.
//
// To train it, register the model once and name it in the network:
//
//	network.Register(lifnosyn.Neuron{})
//	spec.Neuron = lifnosyn.Name
//
// The commands know it as --neuron lif-nosyn: package cli registers it.
package lifnosyn

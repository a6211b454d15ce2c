// Package graph unrolls networks of leaky integrate-and-fire (LIF) neurons in
// discrete time into a static Gorgonia expression graph.
//
// The builders take nodes the caller owns (per-step inputs and weight
// matrices in some *gorgonia.ExprGraph) and return the nodes a caller needs:
// per-step spikes and membrane potentials, spike counts and logits. They
// create no input or weight nodes of their own, so an LIF layer can sit
// inside any Gorgonia model; package models builds complete networks from a
// specification.
//
// Time steps n = 0 … T−1, state starting at zero, for a hidden layer with
// feed-forward weights W [fan_in, units] and optional recurrent weights V:
//
//	S[n]   = H(U[n] − 1)
//	I[n+1] = β_syn·I[n] + S_in[n]·W (+ S[n]·V)
//	U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − S[n])
//
// and for the non-spiking readout with weights W_o:
//
//	I_o[n+1] = β_syn·I_o[n] + S_last[n]·W_o
//	U_o[n+1] = β_out·U_o[n] + (1 − β_out)·I_o[n]
//
// with logits max_n U_o[n] or Σ_n U_o[n] over n = 1 … T. An input spike at
// step n first moves U at step n+2, so every layer adds two steps of latency.
//
// State that is identically zero is not built: a nil node in a returned
// slice stands for an all-zero tensor (for example U[0], and every spike of
// the first two steps). Inputs that cannot affect the outputs within T steps
// are left unused.
//
// The per-step input nodes may be bound to dense tensors or, for sparse spike
// trains, to ops.Events (the input layer's synapses read either); package
// train binds Events.
package graph

// Package adlif is the adaptive leaky integrate-and-fire neuron (adLIF) of
// Bittar & Garner (2022), "A surrogate gradient spiking baseline for speech
// command recognition", Front. Neurosci. 16:865897: a membrane U without
// synaptic current, coupled to an adaptation current w that the membrane
// and the neuron's own spikes drive, with per-neuron learnt decays and
// couplings.
//
// In spikegrad's time indexing (docs/conventions.md; U[0] = w[0] = 0):
//
//	S[n]   = H(U[n] − 1)
//	w[n+1] = ρ·w[n] + a·U[n] + b·S[n]
//	U[n+1] = α·(U[n] − Detach(S[n])) + (1 − α)·(S_in[n]·W (+ S[n]·V) − w[n+1])
//
// The reset subtracts the threshold, as Bittar & Garner's does, and is
// detached from the gradient unless the network's DifferentiableReset is
// set; the recurrent input S[n]·V is detached unless RecurrentGrad is.
// The gradient does flow through b·S[n]: adaptation is part of the
// neuron's computation, not a reset. A spike reaches the next layer one
// step after it, where the LIF takes two.
//
// Every hidden neuron has four learnt parameters, α, ρ, a and b, each kept
// inside its range by a logistic transform of an unconstrained value θ:
//
//	p = lo + (hi − lo)·σ(θ),  σ(θ) = 1/(1 + e^(−θ))
//
// so that the decays stay in (0, 1) and the couplings bounded whatever
// the optimiser does, without clamping (which would stop the gradient at
// the bounds). Checkpoints hold θ, as alpha_logit0, rho_logit0, a_logit0
// and b_logit0 for hidden layer 0. The ranges are
//
//	α ∈ [exp(−Δt/(τ_mem/4)), exp(−Δt/(5τ_mem/4))]   (τ_u from τ_mem/4 to 5τ_mem/4)
//	ρ ∈ [exp(−Δt/(3τ_mem/2)), exp(−Δt/(15τ_mem))]   (τ_w from 1.5τ_mem to 15τ_mem)
//	a ∈ [0, 1],  b ∈ [0, 2]
//
// Bittar & Garner bound τ_u to 5–25 and τ_w to 30–300; here the bounds
// scale with the settings' tau-mem, so that the SHD default τ_mem = 20 ms
// gives those numbers in ms. They let a range over [−1, 1]; in these
// equations that is unstable. Without spikes, (U, w)
// evolves by a matrix of determinant αρ and trace α + ρ − (1 − α)·a, whose
// eigenvalues lie inside the unit circle (Jury's criterion) if and only if
//
//	−(1 − ρ) < a < (1 + α)(1 + ρ)/(1 − α),
//
// so any a below −(1 − ρ), about −0.01 for the slow adaptation, makes the
// potential grow geometrically: at the SHD shape (T = 400) such a neuron
// overflows float32 within the first step of training. The stability
// problem of this (Euler-forward) discretisation is the one Baronig et al.
// (2025, Nat. Commun., "Advancing spatio-temporal processing through
// adaptation in spiking neural networks") analyse. a ∈ [0, 1] keeps every
// neuron stable whatever its α and ρ.
//
// As in Bittar & Garner's, each neuron starts at parameters drawn
// uniformly within their ranges (θ is the logit of a uniform draw from the
// central 90 %, so that no neuron starts where σ is flat), from the
// weights' seeded stream (network.NeuronParam.Draw). The readout is the LIF's leaky readout with the
// settings' tau-syn and tau-readout.
//
// The commands know it as --neuron adlif. NIR has no adaptive neuron, so
// nir export refuses a network of it.
package adlif

// Package learntau is the paper's LIF with learnt per-neuron time
// constants: every hidden neuron has its own membrane and synaptic
// decays, every readout neuron its own synaptic and membrane decays, and
// all of them are trained with the weights. The equations are the LIF's
// of docs/conventions.md with β per neuron:
//
//	S[n]   = H(U[n] − 1)
//	I[n+1] = β_syn,i·I[n] + S_in[n]·W  (+ Detach(S[n])·V)
//	U[n+1] = (β_mem,i·U[n] + (1 − β_mem,i)·I[n])·(1 − Detach(S[n]))
//
//	I_o[n+1] = β_syn,k·I_o[n] + S_last[n]·W_out
//	U_o[n+1] = β_out,k·U_o[n] + (1 − β_out,k)·I_o[n]
//
// Each time constant is the settings' one (tau-mem, tau-syn, tau-readout)
// scaled per neuron within a factor of ten either way,
//
//	τ = τ_set·exp(c·tanh(θ/c)),  c = ln 10,  β = exp(−Δt/τ),
//
// of an unconstrained learnt θ: at θ = 0 the neuron is the LIF of the
// settings, near it θ is ln(τ/τ_set), and however far the optimiser moves
// θ, τ stays in [τ_set/10, 10·τ_set], so β stays inside (0, 1) and no
// neuron becomes a perfect integrator or loses its memory altogether.
// Checkpoints hold θ: theta_mem0 and theta_syn0 for hidden layer 0, …,
// theta_memout (τ_readout) and theta_synout for the readout.
//
// Two models share the equations and differ in their start:
//
//   - lif-learn-tau starts homogeneous, every θ = 0: the settings' LIF,
//     whose constants then learn (Perez-Nieves et al. 2021's
//     "homogeneous initialisation, heterogeneous training").
//   - lif-learn-tau-gamma starts heterogeneous: each neuron's τ is drawn
//     from a gamma distribution of shape k = 3 and mean τ_set, as Perez-Nieves
//     et al. (2021), "Neural heterogeneity promotes robust learning", Nat.
//     Commun. 12:5791, initialised theirs (draws beyond the factor-ten
//     range are pulled just inside it).
//
// Both export to NIR (package nir: the model is a nir.TauNeuron through
// CubaLIF and Taus): each neuron's τ goes into the CubaLIF and CubaLI
// arrays, and a file with per-neuron time constants is read back as
// lif-learn-tau, θ = Theta(τ_set, τ) of each neuron.
package learntau

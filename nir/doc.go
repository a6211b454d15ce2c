// Package nir exports spikegrad networks to NIR files and imports them
// back, so that a network trained here runs elsewhere and one trained
// elsewhere is evaluated or fine-tuned here.
//
// NIR, the Neuromorphic Intermediate Representation
// (https://github.com/neuromorphs/NIR), is how snnTorch, Norse, SpikingJelly,
// Spyx, Rockpool, Sinabs, Lava and several neuromorphic chips exchange
// networks. A NIR file is an HDF5 file: /version, a string, and /node, the
// root graph, a group holding type = "NIRGraph", nodes/<name>/ (each with
// its type and parameters as data sets), edges (an N×2 array of node names,
// source then target) and an optional metadata group. This package reads
// and writes that layout (ReadFile, Write) with the pure-Go HDF5 library
// github.com/scigolib/hdf5; see makeScalar for the one thing its writer
// lacks.
//
// # Graph
//
// A network with hidden layers of sizes H_0 … H_{L−1} is exported as the
// chain
//
//	input → fc0 → lif0.lif → fc1 → lif1.lif → … → fc_out → li_out → output
//
// with Input/Output nodes (shape), Linear nodes (weight, stored as NIR's
// (out, in): the transpose of spikegrad's [fan_in, fan_out] matrices),
// CubaLIF nodes for hidden layers and a CubaLI node for the readout. A
// recurrent layer adds a Linear node lif<l>.w_rec with the edges
// lif<l>.lif → lif<l>.w_rec → lif<l>.lif: the flat loop, under the layer's
// prefix, that snnTorch and Spyx recognise as a recurrent layer. Every
// neuron parameter is an array of one value per neuron.
//
// # Mapping
//
// NIR's neurons are continuous-time:
//
//	τ_syn·dI/dt = −I + w_in·x,   τ_mem·dv/dt = (v_leak − v) + r·I,
//
// spike when v crosses v_threshold, then v = v_reset. spikegrad's are
// discrete (graph package documentation): with β = exp(−Δt/τ),
//
//	S[n]   = H(U[n] − 1)                        (H(0) = 1)
//	I[n+1] = β_syn·I[n] + S_in[n]·W (+ S[n]·V)
//	U[n+1] = (β_mem·U[n] + (1 − β_mem)·I[n])·(1 − S[n])
//
// and the readout integrates I_o and U_o the same way with β_out and no
// spike, its logits the max or the sum of U_o[1 … T]. There is no common
// rule between the two. This package uses one that reproduces spikegrad's
// dynamics exactly in a reader that follows it, the explicit Euler step of
// length Δt with the state zero at n = 0:
//
//	z[n]   = 1 if v[n] ≥ v_threshold, else 0
//	I[n+1] = I[n] + Δt/τ_syn·(w_in·x[n] − I[n])
//	v[n+1] = (v[n] + Δt/τ_mem·(v_leak − v[n] + r·I[n]))·(1 − z[n])
//
// where x[n] is the weight node's output for the spikes of step n. With
//
//	τ_syn = Δt/(1 − β_syn), τ_mem = Δt/(1 − β_mem) (β_out for the readout),
//	w_in = τ_syn/Δt, r = 1, v_threshold = 1, v_leak = v_reset = 0
//
// the Euler step is spikegrad's update: Δt/τ = 1 − β, Δt/τ_syn·w_in = 1 and
// Δt/τ_mem·r = 1 − β_mem. These τ are Euler-matched (as in snnTorch and
// Spyx), not spikegrad's τ = −Δt/ln β; w_in is snnTorch's choice, r is not
// (snnTorch uses r = τ_mem/Δt for its membrane without the 1 − β factor).
//
// What the continuous equations leave open is recorded in the root graph's
// metadata, so that nothing is guessed: dt (Δt, in ms, time_unit), steps
// (T), beta_syn, beta_mem, beta_out, the discretization above, the threshold
// rule (spikes at equality), the reset (to zero, multiplicative: the
// potential of the step after a spike is zero, the input of that step is
// lost too), readout (max or sum) and logits (over v[1 … T] of li_out). It
// also holds spikegrad's own τ (spikegrad_tau_mem, …) so that an import
// recovers them bit for bit, and, if given, the run's settings
// (spikegrad_settings, JSON). python/nircheck.py is a reader that knows only
// this documentation: it simulates an exported file with numpy and finds
// spikegrad's spikes and logits.
//
// Every spikegrad network of a model NIR describes exports without loss:
// feed-forward or recurrent, any number of hidden layers, either readout,
// float32 or float64 weights. The models are the LIF and those with one
// time constant of each kind per neuron (TauNeuron: neurons/learntau's
// lif-learn-tau and lif-learn-tau-gamma), whose neurons' own β enter the
// mapping above, so that every parameter array holds one value per neuron;
// their metadata name the model (spikegrad_neuron), the settings' τ are
// the ones the model scales per neuron, and no beta_* are written. Other
// models (adLIF, whose adaptation NIR has no node for) are refused, naming
// the model.
// The training-only settings (surrogate, regularisers, initialisation) are
// not part of NIR and travel only in spikegrad_settings. What NIR cannot say
// is the discrete-time convention itself (when an input reaches the
// membrane, how the reset treats the input of the spiking step, whether a
// spike needs v > or ≥ v_threshold); a reader that ignores the metadata and
// discretises differently simulates a slightly different network.
//
// # Euler networks and the peers
//
// The mapping above is for the paper's discretisation, which a reader that
// ignores the metadata does not reproduce: snnTorch and Norse step CubaLIF
// by explicit Euler with the input of step n in the current and membrane
// of step n, and a reset after which the next input is integrated. A
// network trained with network.Euler (--discretisation euler) is stepped
// that way by spikegrad too, with decays 1 − Δt/τ, so the same τ, r, w_in
// and threshold give the same spikes in the peers; the metadata records
// spikegrad_discretisation. GraphFor writes a network for TargetPeers, the
// form their importers read as they are (they read no metadata): τ in
// seconds for a reader stepping by ExportOptions.Step (snnTorch fixes 0.1
// ms), r = τ_mem/step (snnTorch requires it), w_in = τ_syn/step,
// v_threshold = r, and no readout node (neither maps CubaLI): the last
// weights feed the Output, and readout_tau_syn, readout_tau_mem and logits
// in the metadata tell how the output becomes spikegrad's logits (each
// readout τ a number, or for per-neuron time constants a text of one
// number per neuron separated by spaces: metadata holds no arrays). Layers
// of the paper's discretisation get a warning each (ExportOptions.Convert
// silences them). python/nircheck.py --convention peers simulates a file
// with numpy models of both peers.
//
// # Import
//
// Import and FromGraph accept the same chain from other libraries: Linear
// or Affine (with a zero bias) weights, per-neuron or scalar parameters,
// gzip-compressed data sets, fixed- or variable-length strings, and
// recurrent layers as a flat loop or as a NIRGraph subgraph (snnTorch's
// export), which is inlined. A file without dt in its metadata needs the
// time step in the unit of its time constants (Options.DT). r, w_in and
// v_threshold may differ from spikegrad's: the dynamics are linear below
// the threshold, so a layer's input gain r·w_in·(Δt/τ_syn)/v_threshold is
// folded into the weights that feed it (the readout's without the
// threshold), per neuron: r, w_in and v_threshold may be arrays. What
// spikegrad cannot represent is refused with an error that names the node
// and the field: other node types, other cycles, a time constant not
// longer than Δt, a non-zero bias, v_leak or v_reset, a threshold ≤ 0,
// non-finite values, and shapes that do not match.
//
// # Per-neuron time constants
//
// Time constants that differ between the neurons of a layer, between
// hidden layers, or between the readout's and the hidden layers' τ_syn,
// which the LIF's one τ per kind cannot hold, are read as neuron
// lif-learn-tau (or the model spikegrad_neuron names): each neuron's τ =
// −Δt/ln β of its file decay β = 1 − Δt/τ_file, and its θ the inverse of
// τ = τ_set·exp(c·tanh(θ/c)), c = ln 10. τ_set is the settings' τ that
// spikegrad's metadata record when every τ of the kind lies within its
// factor of ten (an export comes back bit for bit in float32), otherwise
// the geometric mean of the kind's shortest and longest τ, with a note;
// the kinds are τ_mem of the hidden layers, τ_syn of all layers and the
// readout's τ_mem. A kind spread over a factor of 100 or more cannot be
// held and is refused, naming both nodes and fields. The model steps by
// the paper's discretisation only: a file that runs by Euler (one from
// another library, unless Options.Discretisation says paper) and has
// per-neuron time constants is refused, naming the first that differs.
//
// A file without spikegrad_discretisation in its metadata (one from
// another library) runs by Euler, as the peers ran it, and Network.Notes
// say so; Options.Discretisation overrides. Time constants equal in
// float32 count as one value; a last CubaLIF is read as the readout; a
// graph whose last weights feed the Output takes its readout from the
// metadata (TargetPeers). Errors cut every name from the file to 96 bytes.
//
// Reading trusts nothing in the file: sizes are checked against the file's
// length and fixed limits before the HDF5 reader allocates anything (the
// heap scan of internal/hdf5guard, shared with the SHD loader), its panics
// become errors, and the importer is fuzzed (FuzzImport, FuzzFromGraph).
package nir

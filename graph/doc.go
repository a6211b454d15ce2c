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
// Build composes a network from a Neuron, the extension point for neuron
// models: it unrolls hidden layers and the readout's potentials of one
// model, and Build chains the layers and reduces the readout to logits
// without knowing which model it is. LIFNeuron is the paper's model, made
// of LIF and LeakyReadout; a model of one's own implements Neuron with
// this package's and package ops' exported builders (examples/lifnosyn).
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
// trains, to lif.Events (the input layer's synapses read either); package
// train binds Events.
//
// # Embedding
//
// The builders are meant to sit inside other Gorgonia models. An embedder
// may:
//
//   - Tie weights: pass one weight node to several LIF layers or readouts
//     (siamese networks, shared encoders, unrolled models). Every op that
//     keeps per-layer state names its layer in its hash, so Gorgonia never
//     merges the nodes of two layers, even with identical inputs; a shared
//     node's gradient is the sum over its uses.
//   - Attach any loss built from Gorgonia's ops or this project's, call
//     G.Grad (more than once if need be: a second call on the same cost
//     returns the same gradients, as Gorgonia does for its own ops), and
//     train with any gorgonia.Solver.
//   - Bind each step's input to a dense tensor or to a lif.Events with
//     G.Let; Events may only feed the first synapses of a layer (a node
//     bound to Events must feed nothing but LIF or LeakyReadout inputs).
//   - Set LIFConfig.Fused for the faster backward pass, when the loss reads
//     the network through a readout (and spike counts): the spikes that
//     reach the loss must be a prefix in time. G.Grad says so when they are
//     not.
//   - Compile several machines from one graph (a training machine and an
//     evaluation machine, say) and run them one after another in any order:
//     the ops keep their indexes per tensor, so no machine sees another's.
//     The ops themselves may also run in several machines at once (their
//     state is per tensor), but Gorgonia binds every node's value, inputs
//     (G.Let) and gradients (BindDualValues) to the node, shared by all
//     machines of a graph, and two TapeMachines of one graph run at once
//     have been seen to return wrong values: to run machines
//     concurrently, build one graph per machine with the weight tensors
//     shared, as package train does for its micro-batches.
//   - Bound the threads the kernels use with ops.SetThreads on the graph
//     before building (1 for a machine that runs on one core beside
//     others); the library never changes GOMAXPROCS.
//
// Reset the machine between runs (TapeMachine.Reset). Gorgonia's own
// matrix multiplication transposes a weight in place in its backward pass,
// so a weight read by G.Mul must not be read by another machine at the same
// time; the ops here never write to their inputs.
package graph

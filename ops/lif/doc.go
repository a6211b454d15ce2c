// Package lif provides the fused Gorgonia ops of a layer of leaky
// integrate-and-fire neurons unrolled over time, and Events, the sparse
// input that the layer's synapses read.
//
// The ops keep the unrolled graph small and fast: Gorgonia's interpreter
// spends more time per node than on the arithmetic of a small tensor.
// Membrane is a LIF membrane update with its reset in one node. Synapses
// builds the synaptic updates of a layer, one node per step, with an
// event-driven input projection (rows of W gathered for the non-zero
// inputs) and one fused weight gradient for all steps. Cell builds the
// steps of a layer, spikes included, with a fused backward pass of two
// nodes per step. ReadoutMax builds a leaky readout's maximum over time
// as two nodes for all steps, with a backward pass of three. MaskScale is
// the masked scaling of the membrane's backward pass.
//
// The neuron models beyond the paper's LIF build on the same cell:
// NewNeuronCell is a Cell whose neurons each have their own, learnt
// decays, and ReadoutMaxDecays the leaky readout likewise; NewAdaptiveCell
// is a Cell of adaptive LIF neurons (Bittar & Garner 2022) with learnt
// per-neuron parameters. Their backward passes also give the per-neuron
// parameters' gradients, one node per layer that reads what each step
// recorded, next to the weights' fused gradients. The LIF's own ops and
// kernels run as before.
//
// Events holds one time step of a batch's input as its non-zero entries;
// it binds to an input node (gorgonia.Let) in place of a dense tensor, so
// sparse spike trains cost work in proportion to their events. Steps
// splits one input node of all time steps into per-step nodes, which the
// synapses read as blocks of that node (fewer nodes for Gorgonia's
// compiler); a Sequence of Events binds to it. Spikes
// written by ops.Spike or by a Cell come with an index of their own, which
// the synapses read instead of scanning the spikes again.
//
// Synapses and Cell keep per-layer state and print their layer's number in
// the hashes of their ops: Gorgonia merges nodes whose op hashes and
// children are equal, and two layers that read the same weights and inputs
// (tied weights) must stay two layers.
//
// The ops follow package ops in everything else: float32 and float64
// tensors, preallocated outputs, backward passes that are differentiable in
// none of their inputs, and threads bounded by ops.SetThreads.
package lif

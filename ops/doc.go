// Package ops provides the custom Gorgonia operations that surrogate-gradient
// training of spiking networks needs and Gorgonia lacks.
//
// Spike is the Heaviside step of a spiking neuron, H(u − 1), whose backward
// pass replaces the step's derivative (zero almost everywhere) by a smooth
// surrogate h(u − 1). Detach is the identity that passes no gradient: it
// stops the gradient through a spike reset or a recurrent connection.
//
// The remaining ops exist to keep the unrolled graph small and fast:
// Gorgonia's interpreter spends more time per node than on the arithmetic of
// a small tensor. Membrane is a LIF membrane update with its reset in one
// node, Synapses the synaptic updates of a layer with an event-driven input
// projection (rows of W gathered for the non-zero inputs) and one fused
// weight gradient for all steps, LIFCell the steps of a layer with a fused
// backward pass (two nodes per step), MaxOverTime a maximum over many
// tensors, and Sum adds many nodes in one; Axpby, Scale and Reset are the
// smaller building blocks. The loss terms are in package ops/loss.
//
// Events holds one time step of a batch's input as its non-zero entries; it
// binds to an input node (gorgonia.Let) in place of a dense tensor, so sparse
// spike trains cost work in proportion to their events. A Spike op indexes
// its spikes as it writes them, and the synapses that read those spikes use
// that index instead of scanning them again. The indexes are kept per tensor
// they describe (a tensor's memory belongs to one machine), so machines
// compiled from one graph never read each other's.
//
// SetThreads bounds the threads of one graph's ops (1 for callers that run
// one machine per core). Without it, a kernel splits large batches between
// up to GOMAXPROCS goroutines, started by the first job after a pause and
// ended when no job comes: an idle process runs none.
//
// Ops that keep per-layer state (Synapses, LIFCell) print their layer's
// number in their hash: Gorgonia merges nodes whose op hashes and children
// are equal, and two layers that read the same weights and inputs must stay
// two layers. The ops of backward passes are differentiable in none of
// their inputs, so that Gorgonia can differentiate a graph again.
//
// Every op works on float32 and float64 tensors, fills a preallocated output
// when the machine offers one (UsePreallocDo), and defines its symbolic
// derivative (SymDiff) in terms of further ops of this package, so that
// Gorgonia's Grad and TapeMachine run backpropagation through time. The
// package knows nothing about networks.
//
// This package holds the op types: what Gorgonia sees of an op (its type,
// shape, hash and derivative) and the unpacking of its tensors. The work is
// done in internal packages, each with a job of its own:
//
//   - internal/kernel: the typed loops of every op, on float32 and float64
//     slices, destination first; they know nothing of Gorgonia.
//   - internal/simd: the float32 loops in SSE and AVX assembly, bit for bit
//     equal to their Go versions, which run on other architectures and,
//     with go build -tags purego, on amd64 too (gonum's noasm).
//   - internal/parallel: the worker pool that splits a kernel's rows
//     between cores.
//   - internal/index: the CSR indexes of spike tensors and of a layer's
//     inputs, kept per tensor memory so that machines never share one.
//   - internal/opkit: the Gorgonia plumbing the op types share (arity,
//     shapes, outputs, hashes, the graph's Workers, spike indexes).
package ops

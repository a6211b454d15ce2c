// Package ops provides the custom Gorgonia operations that surrogate-gradient
// training of spiking networks needs and Gorgonia lacks: the spike with its
// surrogate gradient, and the element-wise ops around it.
//
// Spike is the Heaviside step of a spiking neuron, H(u − 1), whose backward
// pass (SurrogateGrad) replaces the step's derivative (zero almost
// everywhere) by a smooth surrogate h(u − 1), a surrogate.Surrogate
// (package surrogate defines the shapes and evaluates them). Detach is
// the identity that passes no gradient: it stops the gradient through a
// spike reset or a recurrent connection. Reset, Axpby and Scale are the
// smaller building blocks of a neuron's update. MaxOverTime and Sum
// reduce many nodes of one shape to one node, as Gorgonia's interpreter
// spends more time per node than on the arithmetic of a small tensor: the
// maximum of a readout over time, a neuron's spike count over time.
//
// A Spike op indexes its spikes as it writes them, and the ops that read
// those spikes (the synapses of package ops/lif, Sum) use that index
// instead of scanning them again. The indexes are kept per tensor they
// describe (a tensor's memory belongs to one machine), so machines compiled
// from one graph never read each other's.
//
// SetThreads bounds the threads of the ops built in one graph, those of
// the subpackages included (1 for callers that run one machine per core).
// Without it, a kernel splits large batches between up to GOMAXPROCS
// goroutines, started by the first job after a pause and ended when no job
// comes: an idle process runs none.
//
// Every op works on float32 and float64 tensors, fills a preallocated output
// when the machine offers one (UsePreallocDo), and defines its symbolic
// derivative (SymDiff) in terms of further ops, so that Gorgonia's Grad and
// TapeMachine run backpropagation through time. The ops of backward passes
// are differentiable in none of their inputs, so that Gorgonia can
// differentiate a graph again. The package knows nothing about networks.
//
// Two subpackages hold the other ops, each with a job of its own:
//
//   - lif: the fused ops of a LIF layer's time steps (Membrane, Synapses,
//     Cell) and Events, a batch's sparse input.
//   - loss: the loss terms (SoftmaxCrossEntropy and the activity penalties
//     LowerBound and UpperBound).
//
// The op types of the three packages are what Gorgonia sees of an op (its
// type, shape, hash and derivative) and the unpacking of its tensors. The
// work is done in internal packages:
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

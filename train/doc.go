// Package train fits a models.Spec to a datasets.Data with surrogate-gradient
// descent: Gorgonia's TapeMachine runs the forward pass and backpropagation
// through time on a static graph, and Gorgonia's Adam solver updates the
// weights.
//
// The graph has a fixed batch size. The last, partial batch of an epoch or an
// evaluation is padded with empty samples whose target rows are zero, so
// they neither count in the loss nor receive gradient, and no sample is
// dropped. An evaluation program (logits and spike counts, no gradient work)
// is compiled from the graph of the whole batch. The training program
// (loss, gradients, logits, spike counts) is compiled once for a single
// core and, when there are two or more, twice from graphs of half the batch:
// the two halves run at once, one per core, and their gradients, weighted
// by their numbers of samples, make the batch's gradient for the Adam step.
// This gives the same result as one program, up to rounding, and is much
// faster than splitting every small kernel between the cores.
//
// Inputs are bound as ops.Events, so a batch costs work in proportion to its
// input spikes; the number of steps per sample is fixed by the model.
//
// After every epoch the validation split is evaluated; the weights that did
// best on it are kept, and the test split is evaluated once, with those
// weights, at the end. A non-finite loss stops training with an error.
package train

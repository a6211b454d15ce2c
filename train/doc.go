// Package train fits a models.Spec to a datasets.Data with surrogate-gradient
// descent: Gorgonia's TapeMachine runs the forward pass and backpropagation
// through time on a static graph, and Gorgonia's Adam solver updates the
// weights.
//
// The graph has a fixed batch size. The last, partial batch of an epoch or an
// evaluation is padded with empty samples whose target rows are zero, so
// they neither count in the loss nor receive gradient, and no sample is
// dropped. Two programs are compiled from the one graph: a training program
// (loss, gradients, logits, spike counts) and an evaluation program that
// prunes all gradient work.
//
// After every epoch the validation split is evaluated; the weights that did
// best on it are kept, and the test split is evaluated once, with those
// weights, at the end. A non-finite loss stops training with an error.
package train

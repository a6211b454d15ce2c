// Package train is the training engine: it fits a network.Spec to a
// datasets.Data with surrogate-gradient descent. Gorgonia's TapeMachine
// runs the forward pass and backpropagation through time on a static
// graph, and a Gorgonia solver, Adam by default, updates the weights.
//
// Three types do the work:
//
//	Trainer    forward pass, BPTT and the solver's step on one batch
//	           (Step, or Backward, Grads and Update for callers who want
//	           the gradient); the solver's state for exact resumption
//	Evaluator  logits, spike counts and metrics of whole splits, and
//	           step-by-step snapshots; no gradient work, no solver
//	Run        the epoch loop: shuffled minibatches, validation after every
//	           epoch, the best weights kept and tested once at the end,
//	           and a State from which a paused run continues bit for bit
//
// Two choices are the caller's: the loss (Config.Loss, WithLoss: a
// function that builds it in each training program from the logits, the
// readout potentials, the spike counts, the targets and the padding mask;
// the default is the softmax cross-entropy plus the activity regularisers)
// and the solver (Optimizer). A Batcher turns samples of a split into a
// batch's input values, for the programs here or a graph of one's own.
//
// The graph has a fixed batch size. The last, partial batch of an epoch or
// an evaluation is padded with empty samples whose target rows are zero, so
// they neither count in the loss nor receive gradient, and no sample is
// dropped. The training program (loss, gradients, logits, spike counts) is
// compiled once for a single core and, when there are two or more, twice
// from graphs of half the batch: the two halves run at once, one per core,
// and their gradients, weighted by their numbers of samples, make the
// batch's gradient for the solver. This gives the same result as one
// program, up to rounding, and is much faster than splitting every small
// kernel between the cores. Rounding makes the numbers depend on the
// number of replicas (Config.Replicas, DefaultReplicas), not otherwise on
// the cores: a resumed run keeps the replicas it started with.
//
// Inputs are bound as lif.Events, so a batch costs work in proportion to its
// input spikes; the number of steps per sample is fixed by the model. A
// non-finite loss or weight stops training with an error.
//
// What training measures (metrics, epochs, spike statistics, snapshots) is
// plain data in package metrics. Settings, run folders, records and
// checkpoints are package run's and package runner's concern, not the
// engine's.
package train

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
//	Fit        the epoch loop: shuffled minibatches, validation after every
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
// dropped. Each batch is split into a fixed number of micro-batches
// (Config.MicroBatches, DefaultMicroBatches), consecutive parts of the
// batch, each trained by a program of its own (loss, gradients, logits,
// spike counts) compiled from a graph of its size. The micro-batches run
// at once on the cores there are, and their gradients, weighted by their
// numbers of samples, are added in micro-batch order to make the batch's
// gradient for the solver. Every kernel gives the same bits on any number
// of goroutines, so a run's numbers depend on its micro-batches and never
// on the cores (GOMAXPROCS, Config.Cores): the same seed and settings give
// the same run on a laptop and on a cluster node, and a run continued on
// another machine is the run that never stopped. Whole programs on their
// own cores are faster than splitting every small kernel between the
// cores, which costs a synchronisation per kernel.
//
// Inputs are bound as lif.Events, a lif.Sequence of one per step, so a
// batch costs work in proportion to its input spikes; the number of steps per sample is fixed by the model. A
// non-finite loss or weight stops training with an error.
//
// What training measures (metrics, epochs, spike statistics, snapshots) is
// plain data in package metrics. Settings, run folders, records and
// checkpoints are package run's and package runner's concern, not the
// engine's.
package train

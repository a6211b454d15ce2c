// Package runner performs the training runs that run.Settings describe.
//
// Execute loads the data set, builds the network, trains it with package
// train and keeps the run's folder up to date after every epoch: the
// settings, the best weights (best.npz), the weights and training state
// after the last epoch (last.npz) and the record. Every file is written
// atomically. A run resumed from last.npz continues exactly: it reaches the
// weights, history and test result of the run that was never stopped.
//
// Checkpoints are NumPy .npz files (see Checkpoint); LoadCheckpoint reads
// them for evaluation and for resuming, taking every array's shape from the
// network that the checkpoint's own settings describe.
package runner

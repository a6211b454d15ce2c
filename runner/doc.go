// Package runner performs the training runs that run.Settings describe.
//
// Execute checks that the run fits in memory, loads the data set, builds
// the network, trains it with package train and keeps the run's folder up
// to date after every epoch: the settings, the best weights (best.npz), the
// weights and training state after the last epoch (last.npz) and the
// record. Every file is written atomically, under a lease on the folder
// (lease.Lease) that keeps other processes out. A folder is never
// overwritten: resuming into one continues its history and keeps its
// best.npz unless beaten. A run resumed from last.npz continues exactly: it
// reaches the weights, history and test result of the run that was never
// stopped.
//
// Checkpoints are NumPy .npz files (see Checkpoint); LoadCheckpoint reads
// them for evaluation and for resuming, from any source: it validates the
// checkpoint's own settings, takes every array's shape from the network
// they describe, and checks every header and size against them before
// allocating, so a crafted file is an error naming the file and the entry,
// not a panic or an exhausted memory.
package runner

// Package metrics holds what training measures, as plain data: the loss,
// accuracy and spike counts of a pass over samples (Metrics), one epoch's
// train and validation metrics (Epoch), the activity of each hidden layer
// over a split (SpikeStats) and the step-by-step activity of a network on
// one sample (Snapshot).
//
// Package train produces these values; run records and checkpoints store
// them and package report reads them. Keeping them apart from the engine
// lets those packages read a run without linking Gorgonia's graph machinery.
package metrics

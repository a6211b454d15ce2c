// Package opkit holds what the op types of package ops and of its
// subpackages lif and loss share: the Gorgonia plumbing of ops with several
// inputs of one shape (Elementwise) or of matrices (Matrix), the unpacking
// of their values into typed slices and the choice of an output tensor,
// the hash of an op (its printed form), the Workers of the graph an op is
// built in (ops.SetThreads), and the spike indexes that an op which writes
// spikes hands to the ops that read them.
//
// Every function here runs when a graph is built or an op is run; none of
// them does an op's arithmetic, which is package kernel's job.
package opkit

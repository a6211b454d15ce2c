// Package parallel splits the rows of a kernel between cores.
//
// A Workers runs jobs of a few microseconds each, many hundred times per
// training step: For and ForParts cut a range into chunks that the caller
// and helper goroutines claim one by one, and run it on the caller alone
// when the work is too small to pay for the split or the Workers is busy
// with another caller's job. Helpers spin briefly between jobs and end
// when none comes, so an idle process runs none and importing the package
// starts nothing. Each Workers bounds its goroutines; ops.SetThreads gives
// a graph Workers of its own, and the others share Default.
package parallel

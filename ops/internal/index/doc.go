// Package index keeps the CSR indexes of the sparse tensors that the ops
// (of packages ops and ops/lif) read more than once: spike rasters,
// indexed by the spike op that writes them and read by the synapses and
// spike counts that take them as input, and a layer's dense inputs,
// indexed by its forward projection and read again by its fused weight
// gradient.
//
// An index belongs to the tensor it describes. A graph's ops are shared by
// every machine compiled from it, and each machine has tensors of its own,
// so a cache keeps one index per tensor memory, for up to a few tensors:
// machines that run an op at the same time, or one after another, never
// read or rebuild each other's index. A reader looks an index up by the
// memory it is about to read, and gets none rather than a stale one.
package index

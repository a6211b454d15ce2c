// Package hdf5guard stands between spikegrad's HDF5 readers (the SHD and
// SSC loader, package nir) and github.com/scigolib/hdf5, a young pure-Go
// reader that trusts the sizes it finds in a file.
//
// A damaged or crafted file can make that reader allocate whatever a heap
// header declares, loop forever over a global heap whose object sizes
// wrap around, or panic. CheckHeaps scans a file for such heap headers
// before the reader opens it, and Call turns a panic of the reader into
// an error, so that a bad file fails one load instead of the process.
package hdf5guard

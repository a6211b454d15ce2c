// Package shdfile holds what the reader of the Spiking Heidelberg Digits
// (datasets/shd) and its writers (datasets/synthetic and the tests) must
// agree on: the names of the files and data sets, the encoding of the
// published spike times (float16) and channels (uint16), and two writers
// of the published HDF5 layout: Write, in Go, which stores times and
// channels as byte sequences, and WriteH5py, through Python's h5py, which
// stores them with the published element types.
package shdfile

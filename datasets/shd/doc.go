// Package shd loads the Spiking Heidelberg Digits (Cramer et al. 2020):
// spoken digits 0 to 9 in English and German, converted by a model of the
// inner ear into spikes of 700 channels and published as two HDF5 files,
// shd_train.h5 and shd_test.h5.
//
// Load bins the spikes onto a grid of Steps steps of DT milliseconds and
// returns a datasets.Data; LoadWithStats also reports how many spikes fell
// after the window.
//
// The HDF5 reader (github.com/scigolib/hdf5) trusts the sizes it finds in
// a file, so a damaged file could make it allocate terabytes or loop
// forever. Before reading, the package therefore checks the heap and data
// set sizes against the file size (heaps.go, read.go), and it turns a panic
// of the reader into an error naming the file.
package shd

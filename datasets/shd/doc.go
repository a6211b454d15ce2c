// Package shd loads the Spiking Heidelberg Digits (SHD) and the Spiking
// Speech Commands (SSC) of Cramer et al. (2020): spoken digits 0 to 9 in
// English and German, and the 35 words of Speech Commands v0.02, converted
// by a model of the inner ear into spikes of 700 channels. SHD is
// published as shd_train.h5 and shd_test.h5, SSC as ssc_train.h5,
// ssc_valid.h5 and ssc_test.h5, all in one HDF5 layout.
//
// Load bins the spikes onto a grid of Steps steps of DT milliseconds and
// returns a datasets.Data; LoadWithStats also reports how many spikes fell
// after the window. The validation split is a random part of the training
// file, the speakers of a part of it (Config.Validation "speakers": no
// speaker on both sides, the honest protocol for SHD, which has no
// validation file), or SSC's validation file.
//
// The HDF5 reader (github.com/scigolib/hdf5) trusts the sizes it finds in
// a file, so a damaged file could make it allocate terabytes or loop
// forever. Before reading, the package therefore checks the heap and data
// set sizes against the file size (read.go, with internal/hdf5guard), and
// it turns a panic of the reader into an error naming the file.
package shd

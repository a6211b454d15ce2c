// Package shdfile holds what the reader of the Spiking Heidelberg Digits
// (datasets/shd) and its writers (datasets/synthetic and the tests) must
// agree on: the names of the files and data sets, float16, the element
// type of the published spike times, and a writer of the published HDF5
// layout.
package shdfile

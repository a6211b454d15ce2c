// Package catalog registers spikegrad's data sets with package run: the
// randman task, spike-latency MNIST, the Spiking Heidelberg Digits and
// Spiking Speech Commands (SHD, SSC), and the Heidelberg Digits and Speech
// Commands audio as Mel features (rawhd, rawsc). Each entry is a
// run.DataSet: the data set's network and time grid, the checks of the
// settings only it reads, its loader and its memory estimate.
//
// Package run knows settings and records and links no loader, so that
// programs that only read records (package report) stay small. Programs
// that load data import this package, usually through package runner:
//
//	import _ "github.com/spikegrad/spikegrad/catalog"
//
// Adding a data set is a file of this package with its entry, and one
// line in register.go.
package catalog

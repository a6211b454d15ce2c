// Package datasets holds the types that every data set of spikegrad is
// handed out as, and nothing else: a Data set of three Splits, each a list
// of labelled Samples on a common discrete time grid.
//
// A Sample is a list of Events: at time step Step, input unit Unit receives
// Value (1 for a spike, an analog value for filterbank features). Consumers
// turn events into dense [Steps, Units] rasters with Split.Raster; the
// package knows nothing about networks.
//
// The data sets themselves live in one package per source:
//
//	datasets/randman    smooth random manifolds, generated
//	datasets/mnist      spike-latency MNIST from the idx files
//	datasets/shd        the Spiking Heidelberg Digits from HDF5
//	datasets/audio      WAV/FLAC decoding, resampling and Mel features;
//	                    the raw Heidelberg Digits and Speech Commands
//	datasets/download   fetching and unpacking the published archives
//	datasets/synthetic  small stand-ins for SHD, RawHD and RawSC, written
//	                    in the published layouts
//
// Wherever a configuration takes a time step, the field is DT in
// milliseconds, the unit of models.Spec.DT and of the --dt flag.
package datasets

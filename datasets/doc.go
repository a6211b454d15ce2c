// Package datasets holds the types that every data set of spikegrad is
// handed out as, and nothing else: a Data set of three Splits, each a list
// of labelled Samples on a common discrete time grid.
//
// A Sample is a list of Events: at time step Step, input unit Unit receives
// Value (1 for a spike, a count of spikes in a bin). Analog features, which
// set every entry of the grid, are held instead as Dense values, float32 or
// float16, 2 or 4 bytes an entry instead of the 12 of an Event. Consumers
// read either form with Split.AppendEvents or turn it into a dense
// [Steps, Units] raster with Split.Raster; the package knows nothing about
// networks.
//
// A Data also says what its loader noticed: Notes on choices made (such as
// the speakers held out for validation), Warnings about data that may not
// give what the model expects, and the files Skipped as unusable.
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
// milliseconds, the unit of network.Spec.DT and of the --dt flag.
package datasets

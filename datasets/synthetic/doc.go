// Package synthetic writes small stand-ins for the file-based data sets
// (SHD, SSC, RawHD and RawSC) in the on-disk layouts of the published data,
// so that the loaders, a training run and the tests work without a
// download.
//
// By default their classes are easy to tell apart: every class has its own
// band of channels (SHD, SSC) or its own tone (RawHD, RawSC), with
// per-sample jitter and noise. With Options.Words every class is instead a
// word of three sounds that other classes share, spoken by varied speakers
// in noise: hard enough that a linear classifier on the features falls
// clearly short of 100 %, so that the sets can tell whether a training
// setup converges (docs/measurements/defaults.md). The same arguments
// always give the same files.
package synthetic

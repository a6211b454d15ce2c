// Package synthetic writes small stand-ins for the file-based data sets
// (SHD, SSC, RawHD and RawSC) in the on-disk layouts of the published data,
// so that the loaders, a training run and the tests work without a
// download.
//
// Their classes are easy to tell apart: every class has its own band of
// channels (SHD, SSC) or its own tone (RawHD, RawSC), with per-sample
// jitter and noise. The same arguments always give the same files.
package synthetic

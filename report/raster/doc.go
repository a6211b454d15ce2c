// Package raster draws single samples over time, as PNG: what goes into a
// spiking network and what happens inside it.
//
//	DrawSnapshot  for a few samples, one column each: the input and hidden
//	              spike rasters, membrane traces of a few hidden neurons
//	              and the readout traces, the true class highlighted
//	              (paper Fig. 2c–e, 8a–b)
//	DrawInputs    input paradigms side by side: an image, spike rasters,
//	              a spectrogram (paper Fig. 7)
//
// The data are plain numbers: Sample holds what cmd/eval --snapshot
// records (report.Snapshot hands it over), InputPanel what a data loader
// hands out. Times are in ms.
package raster

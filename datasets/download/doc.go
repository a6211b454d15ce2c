// Package download fetches the published archives of the file-based data
// sets ("shd", "ssc", "rawhd" and "rawsc") and unpacks them into a directory that
// the loaders of datasets/shd and datasets/audio read.
//
// Fetch resumes interrupted transfers with HTTP Range requests, verifies
// every archive against its published checksum where one is known, gives
// up a transfer that stalls, refuses archive entries that would land
// outside the target directory and archives that unpack to far more than
// their size (zip bombs), and does nothing for an archive it has already
// unpacked. MNIST needs none of this:
// datasets/mnist fetches it as a Go module.
package download

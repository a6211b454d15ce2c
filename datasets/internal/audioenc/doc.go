// Package audioenc encodes integer PCM as FLAC and WAV files, the formats
// of the published raw audio data sets, for the synthetic data sets and
// the tests of the decoders.
//
// The FLAC encoder stores samples verbatim, and both encoders write into
// memory; a panic inside the third-party encoders is returned as an error.
package audioenc

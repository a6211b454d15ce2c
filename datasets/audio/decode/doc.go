// Package decode reads the recordings of the audio data sets: WAV files of
// integer PCM (Speech Commands) and FLAC files (the raw Heidelberg Digits),
// mixed down to mono and scaled to [-1, 1) whatever their bit depth, so
// that the features computed from them do not depend on the format.
//
// File picks the decoder by the file's extension; WAV and FLAC decode a
// stream. Neither trusts what a file says about itself: a truncated or
// corrupt file, one that declares more than it holds, or one whose FLAC
// signature does not match its samples fails with an error instead of
// yielding wrong features, a panic of a third-party decoder becomes an
// error, and a recording longer than about 2.3 hours at 16 kHz is refused
// before it exhausts memory.
package decode

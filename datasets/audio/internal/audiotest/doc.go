// Package audiotest holds what the tests of the audio packages share: test
// tones, their files written through datasets/internal/audioenc, and an
// account of the Mel scale made independently of package mel, against
// which the features are checked.
package audiotest

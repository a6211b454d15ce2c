// Package readme holds no code: its tests check that what the repository's
// README.md says about the code is so (the examples it names exist, the
// test commands it gives are those CI runs).
package readme

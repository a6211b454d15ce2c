// Package tape reuses a Gorgonia TapeMachine's tensors from one run to the
// next. It reaches into Gorgonia v0.9's unexported program counter, so it
// stays inside spikegrad: embedders call the machine's Reset, which is
// always correct, only slower.
package tape

// Package surrogate defines the surrogate derivatives of surrogate-gradient
// training: the smooth functions h(x) that stand in for the derivative of a
// spike's step H(x), zero almost everywhere, in the backward pass.
//
// A Surrogate is a Shape and a slope β; Deriv evaluates h at a distance x
// from the threshold. The package is plain arithmetic: the spiking ops of
// package ops evaluate the same h in their kernels, and package report
// draws it without linking the training engine.
package surrogate

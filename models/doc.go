// Package models turns a network specification into weights and a Gorgonia
// graph ready for training: weight initialisation, the graph configuration
// of a spec (Config), and the model with its loss.
//
// The specification itself (Spec, Default, and Spec.Validate, the one
// place where a network is checked) is package network's, which links no
// Gorgonia; models names it too. Spec.Shapes gives the name and size of
// every weight matrix, the layout that docs/conventions.md describes and
// checkpoints store; Zeros allocates them and Init draws them.
//
// Weights have no biases and are stored as [fan_in, fan_out] matrices, so a
// layer's input current is S·W for a [batch, fan_in] row block S. They are
// drawn from U(−g·√k, g·√k) with k = 1/fan_in, the initialisation of the
// paper scaled by a gain g. The paper's g = 1 leaves the default randman
// network silent: its hidden neurons never reach threshold, no surrogate
// gradient flows through a spike that never comes close, and the network
// learns nothing. The default gain of 5 puts membrane potentials near
// threshold from the first step, which is what learning needs.
package models

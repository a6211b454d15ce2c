// Package models turns a network specification (network.Spec) into
// weights and a Gorgonia graph ready for training: weight initialisation
// (Init, Zeros), the neuron models with their step (Neuron, LIF), and the
// model with its loss (New).
//
// A neuron model whole is a Neuron: network.Neuron's plain data and a
// Graph method that configures its layers (a graph.Neuron) for one
// network. New looks the spec's model up in network's registry and has
// graph.Build compose the layers; it knows no model by name. The paper's
// LIF (LIF) registers itself; another model is its own package and a
// network.Register call (see examples/lifnosyn).
//
// Weights hold everything a network learns, as tensors named by
// network.Spec.Params: the weight matrices and the model's per-neuron
// parameters. The weight matrices have no biases and are stored as
// [fan_in, fan_out] matrices, so a layer's input current is S·W for a
// [batch, fan_in] row block S. They are drawn from U(−g·√k, g·√k) with
// k = 1/fan_in, the initialisation of the paper scaled by a gain g. The
// paper's g = 1 leaves the default randman network silent: its hidden
// neurons never reach threshold, no surrogate gradient flows through a
// spike that never comes close, and the network learns nothing. The
// default gain of 5 puts membrane potentials near threshold from the
// first step, which is what learning needs.
package models

// Package network describes a network of spiking neurons as plain data:
// layer sizes, recurrence, the neuron model, time constants, the surrogate
// derivative, the readout's reduction over time, the initialisation gain
// and the activity regularisers (Spec), with the paper's default network
// (Default).
//
// Spec.Params is the one place that names a network's parameters: the
// weight matrices W0, …, Wout and V0, … and the per-neuron parameters of
// its neuron model, in the order that initialisation draws them and by
// the names checkpoints store.
//
// A neuron model is a Neuron, selected by name (Spec.Neuron, the neuron
// setting) from a registry that Register fills; the paper's LIF is the
// default. This package holds a model's plain-data half: its per-neuron
// parameters, its number of state variables (for the memory estimate) and
// its PSP kernel (for the fluctuation-driven initialisation). Its step,
// which needs Gorgonia, is package models' half of the same value.
//
// Spec.Validate is the one place where a network is checked, whoever
// builds it: the settings of a run, a checkpoint's settings, or code. Its
// errors name the settings of the command line (tau-mem, beta, …).
//
// The package links no Gorgonia, so that run settings and records, and
// the reports read from them, describe a network without the training
// engine: package models builds a Spec's weights and graph.
package network

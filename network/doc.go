// Package network describes a network of leaky integrate-and-fire neurons
// as plain data: layer sizes, recurrence, time constants, the surrogate
// derivative, the readout's reduction over time, the initialisation gain
// and the activity regularisers (Spec), with the paper's default network
// (Default) and the names and sizes of its weight matrices (Spec.Shapes).
//
// Spec.Validate is the one place where a network is checked, whoever
// builds it: the settings of a run, a checkpoint's settings, or code. Its
// errors name the settings of the command line (tau-mem, beta, …).
//
// The package links no Gorgonia, so that run settings and records, and
// the reports read from them, describe a network without the training
// engine: package models builds a Spec's weights and graph, and package
// graph takes its Reduction.
package network

// Package datasets provides the labelled spike and feature data sets that
// spikegrad trains on: smooth random manifolds (randman), spike-latency MNIST,
// the Spiking Heidelberg Digits and mel filterbank features of raw audio.
//
// Every data set is handed out as Splits of Samples on a common discrete time
// grid. A Sample is a list of Events: at time step Step, input unit Unit
// receives Value (1 for a spike, an analog value for filterbank features).
// Consumers turn events into dense [Steps, Units] rasters; the package knows
// nothing about networks.
package datasets

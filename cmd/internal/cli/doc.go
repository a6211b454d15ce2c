// Package cli is what the commands share: reading a training run's
// settings from flags and a --config file (ParseArgs), and setting up
// logging (NewLogger), with logrus, the one logging library of spikegrad.
package cli

package catalog

import (
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
	"github.com/spikegrad/spikegrad/run"
)

// The order is that of run.DataSetNames, which help texts list.
func init() {
	// A data set whose defaults name a neuron model registers it, so
	// that its defaults are valid wherever the data set is.
	network.Register(adlif.Neuron{})
	for _, d := range []run.DataSet{
		randmanSet(),
		mnistSet(),
		shdSet(),
		sscSet(),
		rawHDSet(),
		rawSCSet(),
	} {
		run.Register(d)
	}
}

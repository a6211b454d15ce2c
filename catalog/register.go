package catalog

import "github.com/spikegrad/spikegrad/run"

// The order is that of run.DataSetNames, which help texts list.
func init() {
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

package run_test

// The tests of package run use spikegrad's data sets, which package
// catalog registers.
import _ "github.com/spikegrad/spikegrad/catalog"

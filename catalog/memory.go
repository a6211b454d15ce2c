package catalog

import (
	"math"
	"os"

	"github.com/spikegrad/spikegrad/run"
)

// filesMemory estimates a file-based data set in memory: a few times the
// files in the data folder.
func filesMemory(s *run.Settings) int64 {
	var n int64
	if entries, err := os.ReadDir(s.DataDir); err == nil && s.DataDir != "" {
		for _, e := range entries {
			if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
				n += fi.Size()
			}
		}
	}
	return saturate(4 * float64(n))
}

// saturate converts to int64, saturating far below overflow, so that
// estimates of absurd sizes add up without wrapping.
func saturate(x float64) int64 {
	if !(x < math.MaxInt64/4) {
		return math.MaxInt64 / 4
	}
	return int64(x)
}

package synthetic

import (
	"fmt"
	"math/rand/v2"
	"os"
)

// newRand returns the seeded generator of a synthetic data set; stream
// separates the data sets, so that one seed gives unrelated sets.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5e7_0000+stream))
}

// cycledLabels returns n labels that cycle through [0, classes), shuffled,
// so that every class is as common as possible.
func cycledLabels(rng *rand.Rand, n, classes int) []int {
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i % classes
	}
	rng.Shuffle(n, func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	return labels
}

// Bounds of the sizes a stand-in is written with.
const (
	// MaxSamples bounds every file's sample count (a count is at least 1).
	MaxSamples = 1 << 20
	// MinPerWord and MaxPerWord bound RawSC's recordings per word: three
	// give each of the training, validation and test lists one.
	MinPerWord, MaxPerWord = 3, 1 << 16
)

// checkCounts checks the sizes of the splits of a synthetic data set.
func checkCounts(name string, counts ...int) error {
	for _, n := range counts {
		if n < 1 || n > MaxSamples {
			return fmt.Errorf("synthetic: %s: sample counts must lie in [1, %d], got %v", name, MaxSamples, counts)
		}
	}
	return nil
}

// writeNewFile writes b to path, removing what it wrote if that fails.
func writeNewFile(path string, b []byte) error {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		os.Remove(path)
		return fmt.Errorf("synthetic: %w", err)
	}
	return nil
}

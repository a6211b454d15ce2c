//go:build unix

package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
)

// TestMain lets the test binary stand in for the command in subprocesses.
func TestMain(m *testing.M) {
	if os.Getenv(hostiletest.AsCommand) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// Items 12–14 of issue 13: the checkpoints of the hostile corpus, read by
// the command as a process (see internal/hostiletest): a .npy header
// without its newline or declaring 4 GB panicked in the npyio reader;
// declared shapes of 10⁹ × 100 and embedded settings of huge networks or
// data sets ran out of memory or hung; a zip bomb in the settings entry
// grew to 9.4 GB; Fortran order was read wrongly, np.savez names were
// refused, NaN weights were evaluated.
func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, c := range hostiletest.Cases(t, "eval") {
		t.Run(fmt.Sprint(c.Line), func(t *testing.T) {
			t.Parallel()
			hostiletest.Run(t, c, nil)
		})
	}
}

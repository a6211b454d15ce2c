//go:build unix

package runner_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
	"github.com/spikegrad/spikegrad/runner"
)

// A named pipe given as a checkpoint or NIR file is refused at once; an
// open for reading would wait for a writer forever.
func TestNamedPipeCheckpointIsRefused(t *testing.T) {
	for _, name := range []string{"best.npz", "model.nir"} {
		fifo := hostiletest.NamedPipe(t, name)
		err := hostiletest.Within(t, 5*time.Second, func() error { _, err := runner.LoadNetwork(fifo, nil); return err })
		if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "named pipe") {
			t.Errorf("%s: %v; want an error naming the file and what it is", name, err)
		}
	}
}

//go:build unix

package runner_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/runner"
)

// A named pipe given as a checkpoint or NIR file is refused at once; an
// open for reading would wait for a writer forever.
func TestNamedPipeCheckpointIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"best.npz", "model.nir"} {
		fifo := filepath.Join(dir, name)
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		done := make(chan error, 1)
		go func() { _, err := runner.LoadNetwork(fifo, nil); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "named pipe") {
				t.Errorf("%s: %v; want an error naming the file and what it is", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: LoadNetwork still blocked after 5 s", name)
		}
	}
}

//go:build unix

package decode_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets/audio/decode"
)

// A named pipe among the recordings fails at once instead of blocking the
// load until something writes to it.
func TestNamedPipeIsRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "a.flac")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := decode.File(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a named pipe, not a regular file") {
			t.Errorf("%v; want an error saying what the file is", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still blocked after 5 s")
	}
}

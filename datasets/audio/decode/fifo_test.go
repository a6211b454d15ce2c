//go:build unix

package decode_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets/audio/decode"
	"github.com/spikegrad/spikegrad/internal/hostiletest"
)

// A named pipe among the recordings fails at once instead of blocking the
// load until something writes to it.
func TestNamedPipeIsRefused(t *testing.T) {
	fifo := hostiletest.NamedPipe(t, "a.flac")
	err := hostiletest.Within(t, 5*time.Second, func() error { _, err := decode.File(fifo); return err })
	if err == nil || !strings.Contains(err.Error(), "a named pipe, not a regular file") {
		t.Errorf("%v; want an error saying what the file is", err)
	}
}

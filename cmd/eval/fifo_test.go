//go:build unix

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/internal/hostiletest"
)

// Issue 23, item 5: a named pipe as --checkpoint hung the command until
// SIGKILL.
func TestNamedPipeCheckpointIsRefused(t *testing.T) {
	fifo := hostiletest.NamedPipe(t, "best.npz")
	var out, errs bytes.Buffer
	code := hostiletest.Within(t, 10*time.Second, func() int {
		return run(context.Background(), []string{"--checkpoint", fifo}, &out, &errs)
	})
	if code == 0 || !strings.Contains(errs.String(), fifo) || !strings.Contains(errs.String(), "not a regular file") {
		t.Errorf("exit %d, stderr %q; want a failure naming the file", code, errs.String())
	}
}

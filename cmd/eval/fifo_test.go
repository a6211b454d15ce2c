//go:build unix

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Issue 23, item 5: a named pipe as --checkpoint hung the command until
// SIGKILL.
func TestNamedPipeCheckpointIsRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "best.npz")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var out, errs bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), []string{"--checkpoint", fifo}, &out, &errs) }()
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(errs.String(), fifo) || !strings.Contains(errs.String(), "not a regular file") {
			t.Errorf("exit %d, stderr %q; want a failure naming the file", code, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running after 10 s")
	}
}

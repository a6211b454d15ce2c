//go:build unix

package hostiletest

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// NamedPipe makes a named pipe called name in a temporary folder of t and
// returns its path; it skips t where pipes cannot be made. Nothing ever
// writes to it, so an open for reading would wait for ever.
func NamedPipe(t *testing.T, name string) string {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return fifo
}

// Within runs f and returns its result, failing t at once if f has not
// returned after d: the test of a call that must not block.
func Within[T any](t *testing.T, d time.Duration, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
		panic("unreachable")
	}
}

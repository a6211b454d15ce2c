//go:build unix

package readlimit_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// within runs f and fails the test if it has not returned after d: a named
// pipe without a writer blocks an open for reading forever.
func within(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
		return nil
	}
}

func TestNamedPipeIsRefusedWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "settings.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := within(t, 5*time.Second, func() error { _, err := readlimit.ReadFile(fifo, readlimit.Config); return err })
	if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("ReadFile of a named pipe: %v; want an error naming it and saying what it is", err)
	}
	err = within(t, 5*time.Second, func() error {
		f, err := readlimit.Open(fifo)
		if err == nil {
			f.Close()
		}
		return err
	})
	if err == nil || !strings.Contains(err.Error(), fifo) {
		t.Errorf("Open of a named pipe: %v", err)
	}
}

func TestOpenOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := readlimit.Open(dir); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("a folder: %v", err)
	}
	if _, err := readlimit.Open("/dev/null"); err == nil || !strings.Contains(err.Error(), "/dev/null") || !strings.Contains(err.Error(), "device") {
		t.Errorf("a device: %v", err)
	}
	file := filepath.Join(dir, "a")
	os.WriteFile(file, []byte("abc"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(file, link)
	for _, p := range []string{file, link} {
		f, err := readlimit.Open(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b := make([]byte, 4)
		if n, _ := f.Read(b); string(b[:n]) != "abc" {
			t.Errorf("%s: read %q", p, b[:n])
		}
		f.Close()
	}
}

package lease_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/run/lease"
)

// A claim that fails on a full disk leaves no temporary lease file, and
// the claim after it succeeds and leaves none either. It needs a small
// file system of its own: a tmpfs, which root can mount.
func TestFullDiskLeavesNoLeaseTemps(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a small tmpfs here (%v)", err)
	}
	defer syscall.Unmount(mnt, 0)
	dir := filepath.Join(mnt, "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = f.Write(make([]byte, 4096))
	}
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk: %v", err)
	}
	if _, err := lease.Claim(dir, time.Minute, other("me")); err == nil {
		t.Fatal("a claim on a full disk succeeded")
	}
	if temps := leaseTemps(t, dir); len(temps) > 0 {
		t.Errorf("a failed claim left %v", temps)
	}
	os.Remove(filler)
	l, err := lease.Claim(dir, time.Minute, other("me"))
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	if temps := leaseTemps(t, dir); len(temps) > 0 {
		t.Errorf("after a successful claim the folder still holds %v", temps)
	}
}

func leaseTemps(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".lease.") && strings.Contains(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out
}

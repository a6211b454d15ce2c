package readlimit_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

func TestReadFileStopsAtTheLimit(t *testing.T) {
	// A device without end is refused before it is read, naming it.
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err := readlimit.ReadFile("/dev/zero", 4096)
		if err == nil || !strings.Contains(err.Error(), "/dev/zero is a character device, not a regular file") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	dir := t.TempDir()
	exact := filepath.Join(dir, "exact")
	os.WriteFile(exact, bytes.Repeat([]byte("x"), 100), 0o644)
	if b, err := readlimit.ReadFile(exact, 100); err != nil || len(b) != 100 {
		t.Errorf("a file of exactly the limit: %d bytes, %v", len(b), err)
	}
	if _, err := readlimit.ReadFile(exact, 99); !readlimit.IsTooLarge(err) {
		t.Errorf("a file one byte over: %v", err)
	}
	if _, err := readlimit.ReadFile(dir, 99); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("a folder: %v", err)
	}
	r := readlimit.Reader(strings.NewReader(strings.Repeat("y", 50)), "entry settings", 10)
	if _, err := readlimit.ReadAll(r, "x", 1000); !readlimit.IsTooLarge(err) || !strings.Contains(err.Error(), "entry settings") {
		t.Errorf("limited reader: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"123": 123, "1K": 1024, "1.5GiB": 3 << 29, "8G": 8 << 30, "512 MB": 512 << 20, "2t": 2 << 40} {
		if got, err := readlimit.ParseSize(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1G", "1Q", "1e300G", "NaN"} {
		if _, err := readlimit.ParseSize(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if s := readlimit.Size(7_700 << 20); s != "7.5 GiB" {
		t.Errorf("Size: %s", s)
	}
}

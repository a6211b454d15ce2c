package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// A failed write leaves the old file and no temporary file behind, and
// the error names the file.
func TestFailedWriteKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "record.json")
	if err := atomicfile.WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := atomicfile.Write(path, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v: want one wrapping boom and naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file holds %q after a failed write, want the old content", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file", len(entries))
	}
}

func TestMissingFolderIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "f")
	if err := atomicfile.WriteBytes(path, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("want an error naming %s, got %v", path, err)
	}
}

func TestReplacesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	for _, s := range []string{"one", "two"} {
		if err := atomicfile.WriteBytes(path, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != s {
			t.Errorf("file holds %q, want %q", b, s)
		}
	}
}

// The temporary files of a killed writer are told from other files and
// removed.
func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".best.npz.tmp3k2j9", ".record.json.tmp0", "best.npz", ".best.npz.tmp", ".other.tmpabc", "x.tmp12"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	removed, err := atomicfile.RemoveTemps(dir, "best.npz", "record.json")
	if err != nil || strings.Join(removed, " ") != ".best.npz.tmp3k2j9 .record.json.tmp0" {
		t.Errorf("removed %v, %v", removed, err)
	}
	if !atomicfile.IsTemp(".other.tmpabc") || atomicfile.IsTemp("x.tmp12") || atomicfile.IsTemp(".best.npz.tmp") {
		t.Error("IsTemp")
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets/audio"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
)

func TestListAndPrune(t *testing.T) {
	data := t.TempDir()
	if err := synthetic.WriteRawSC(data, []string{"no", "yes"}, 5, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := audio.RawSC(audio.DefaultRawSC(data)); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(data, audio.CacheDirName)
	var out, errs bytes.Buffer
	if code := run([]string{"--data-dir", data}, &out, &errs); code != 0 || !strings.Contains(out.String(), cache+": 10 entries") || !strings.Contains(out.String(), "rawsc      10 entries") {
		t.Fatalf("list: exit %d, %s%s", code, out.String(), errs.String())
	}
	// Entries used recently survive --older-than; --all removes them.
	out.Reset()
	if code := run([]string{"--dir", cache, "--prune", "--older-than", "720h"}, &out, &errs); code != 0 || !strings.Contains(out.String(), "removed 0 entries") {
		t.Fatalf("prune old: exit %d, %s", code, out.String())
	}
	old := time.Now().Add(-1000 * time.Hour)
	entries, _ := filepath.Glob(filepath.Join(cache, "*", "*.mel"))
	os.Chtimes(entries[0], old, old)
	out.Reset()
	if code := run([]string{"--dir", cache, "--prune", "--older-than", "720h"}, &out, &errs); code != 0 || !strings.Contains(out.String(), "removed 1 entries") || !strings.Contains(out.String(), "9 entries") {
		t.Fatalf("prune old: exit %d, %s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"--data-dir", data, "--prune", "--all"}, &out, &errs); code != 0 || !strings.Contains(out.String(), "removed 9 entries") {
		t.Fatalf("prune all: exit %d, %s", code, out.String())
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--prune"}, {"--all"}, {"--dir", "a", "--data-dir", "b"}, {"--prune", "--all", "--older-than", "1h"}, {"x"}} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	var out, errs bytes.Buffer
	if code := run([]string{"--dir", filepath.Join(t.TempDir(), "none")}, &out, &errs); code != 1 {
		t.Errorf("missing folder: exit %d", code)
	}
}

// Issue 23, item 10: --dir /proc --prune --all exited 0. A folder that is
// not a feature cache is refused, naming --dir, before anything is removed.
func TestNotACacheIsRefused(t *testing.T) {
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	os.Mkdir(filepath.Join(other, "ab"), 0o755)
	os.WriteFile(filepath.Join(other, "ab", "x.mel"), []byte("mine too"), 0o644)
	for _, args := range [][]string{
		{"--dir", "/proc", "--prune", "--all"},
		{"--dir", "/proc"},
		{"--dir", other, "--prune", "--all"},
		{"--dir", filepath.Join(other, "notes.txt")},
	} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code == 0 || !strings.Contains(errs.String(), "--dir "+args[1]) || out.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want a failure naming --dir", args, code, out.String(), errs.String())
		}
	}
	if _, err := os.Stat(filepath.Join(other, "notes.txt")); err != nil {
		t.Errorf("a folder that is no cache lost a file: %v", err)
	}
	// An empty folder is an empty cache.
	var out, errs bytes.Buffer
	if code := run([]string{"--dir", t.TempDir(), "--prune", "--all"}, &out, &errs); code != 0 || !strings.Contains(out.String(), "removed 0 entries") {
		t.Errorf("empty folder: exit %d, %s%s", code, out.String(), errs.String())
	}
}

// A cache that cannot be written cannot be pruned: said before anything
// is tried, naming --dir.
func TestReadOnlyCacheIsNotPruned(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into a read-only folder")
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "ab"), 0o755)
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	var out, errs bytes.Buffer
	if code := run([]string{"--dir", dir, "--prune", "--all"}, &out, &errs); code == 0 || !strings.Contains(errs.String(), "--dir "+dir) || !strings.Contains(errs.String(), "writ") {
		t.Errorf("exit %d, stderr %q", code, errs.String())
	}
}

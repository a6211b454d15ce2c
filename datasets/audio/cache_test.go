package audio

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/datasets/audio/internal/audiotest"
)

// testLoadCounting loads RawHD and returns the data and how many audio files
// were decoded meanwhile.
func testLoadCounting(t *testing.T, c RawHDConfig) (*datasets.Data, int64) {
	t.Helper()
	before := decodes.Load()
	d, err := RawHD(c)
	if err != nil {
		t.Fatal(err)
	}
	return d, decodes.Load() - before
}

func TestCacheSecondLoadDecodesNothing(t *testing.T) {
	root := t.TempDir()
	files := testHDFiles(4)
	testMakeRawHD(t, root, filepath.Join(root, "audio"), files)
	c := DefaultRawHD(root)

	first, n := testLoadCounting(t, c)
	if n != int64(len(files)) {
		t.Fatalf("first load decoded %d files, want %d", n, len(files))
	}
	if _, err := os.Stat(filepath.Join(root, CacheDirName)); err != nil {
		t.Fatalf("no cache in the default place: %v", err)
	}
	second, n := testLoadCounting(t, c)
	if n != 0 {
		t.Fatalf("second load decoded %d files, want 0", n)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("cached load differs from the first load")
	}

	// Any feature setting is part of the key.
	c.Mel.Frames = 60
	d, n := testLoadCounting(t, c)
	if n != int64(len(files)) || d.Train.Steps != 60 {
		t.Fatalf("after changing Frames: decoded %d files, Steps %d; want %d and 60", n, d.Train.Steps, len(files))
	}
	c.Mel.PreEmphasis = 0.97
	if _, n = testLoadCounting(t, c); n != int64(len(files)) {
		t.Fatalf("after changing PreEmphasis: decoded %d files, want %d", n, len(files))
	}

	// So is the modification time of the recording.
	c = DefaultRawHD(root)
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(root, "audio", files[0].name), later, later); err != nil {
		t.Fatal(err)
	}
	if _, n = testLoadCounting(t, c); n != 1 {
		t.Fatalf("after touching one file: decoded %d files, want 1", n)
	}
}

func TestCacheDamagedEntryIsRecomputed(t *testing.T) {
	root := t.TempDir()
	testMakeRawHD(t, root, filepath.Join(root, "audio"), testHDFiles(1))
	c := DefaultRawHD(root)
	c.CacheDir = filepath.Join(t.TempDir(), "elsewhere")
	first, _ := testLoadCounting(t, c)

	entries, err := filepath.Glob(filepath.Join(c.CacheDir, "*", "*.mel"))
	if err != nil || len(entries) != 3 {
		t.Fatalf("found %d cache entries (err %v), want 3", len(entries), err)
	}
	b, _ := os.ReadFile(entries[0])
	b[len(b)/2] ^= 1
	audiotest.WriteFile(t, entries[0], b)
	audiotest.WriteFile(t, entries[1], b[:10])

	second, n := testLoadCounting(t, c)
	if n != 2 {
		t.Fatalf("decoded %d files, want the 2 with damaged entries", n)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatal("recomputed load differs")
	}
	if tmp, _ := filepath.Glob(filepath.Join(c.CacheDir, "*", ".tmp-*")); len(tmp) != 0 {
		t.Fatalf("temporary files left behind: %v", tmp)
	}
}

func TestCacheUnusableDirIsAWarning(t *testing.T) {
	root := t.TempDir()
	testMakeRawHD(t, root, filepath.Join(root, "audio"), testHDFiles(1))
	blocker := filepath.Join(t.TempDir(), "file")
	audiotest.WriteFile(t, blocker, nil)
	c := DefaultRawHD(root)
	c.CacheDir = filepath.Join(blocker, "cache") // a path below a regular file
	d, n := testLoadCounting(t, c)
	if n != 3 || d.Train.Len()+d.Validation.Len() != 1 || d.Test.Len() != 2 {
		t.Fatalf("decoded %d files into %d/%d/%d samples, want 3 into 1/0/2", n, d.Train.Len(), d.Validation.Len(), d.Test.Len())
	}
	if !testContains(d.Warnings, "cannot create "+c.CacheDir, "--cache-dir") {
		t.Errorf("warnings %q do not say that the cache cannot be created and how to fix it", d.Warnings)
	}
}

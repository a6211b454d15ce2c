package featurecache

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"syscall"
	"testing"
	"time"
)

func testEntry() Entry {
	return Entry{Rate: 48000, Samples: 12345, Rows: 2, Cols: 3, F32: []float32{1, -2.5, 3, 0.125, 5, -6}, Set: "rawhd", Name: "audio/a.flac"}
}

func TestEntryRoundTrip(t *testing.T) {
	for _, e := range []Entry{testEntry(), {Rate: 16000, Samples: 1, Rows: 1, Cols: 2, F16: []uint16{0x3c00, 0xc000}}} {
		b, err := encodeEntry(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEntry(b)
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip gave %+v, %v; want %+v", got, err, e)
		}
	}
	good, _ := encodeEntry(testEntry())
	for name, b := range map[string][]byte{
		"empty":       nil,
		"short":       good[:12],
		"bad magic":   append([]byte("XXXXXXXX"), good[8:]...),
		"truncated":   good[:len(good)-5],
		"flipped bit": append(append([]byte{}, good[:40]...), append([]byte{good[40] ^ 1}, good[41:]...)...),
	} {
		if _, err := decodeEntry(b); err == nil {
			t.Errorf("%s entry accepted", name)
		}
	}
	for name, e := range map[string]Entry{
		"no values":   {Rows: 1, Cols: 1},
		"both types":  {Rows: 1, Cols: 1, F32: []float32{1}, F16: []uint16{1}},
		"wrong count": {Rows: 2, Cols: 2, F32: []float32{1}},
	} {
		if _, err := encodeEntry(e); err == nil {
			t.Errorf("%s: malformed entry encoded", name)
		}
	}
}

func TestKey(t *testing.T) {
	now := time.Now()
	key := Key("rawhd", "audio/a.flac", 10, now, "s")
	for name, other := range map[string]string{
		"data set": Key("rawsc", "audio/a.flac", 10, now, "s"),
		"name":     Key("rawhd", "audio/b.flac", 10, now, "s"),
		"size":     Key("rawhd", "audio/a.flac", 11, now, "s"),
		"mtime":    Key("rawhd", "audio/a.flac", 10, now.Add(time.Nanosecond), "s"),
		"settings": Key("rawhd", "audio/a.flac", 10, now, "t"),
	} {
		if other == key {
			t.Errorf("the %s is not part of the key", name)
		}
	}
	if Key("rawhd", "audio/a.flac", 10, now, "s") != key {
		t.Error("the key is not a function of its inputs")
	}
}

func TestStoreLoadModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "cache")
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := Key("rawhd", "a.flac", 1, time.Now(), "s")
	if _, ok := c.Load(key); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Store(key, testEntry()); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Load(key); !ok || !reflect.DeepEqual(got, testEntry()) {
		t.Fatalf("Load gave %+v, %v", got, ok)
	}
	// Readable by the other users of a shared cache.
	for path, want := range map[string]os.FileMode{dir: 0o755, c.path(key): 0o644, filepath.Dir(c.path(key)): 0o755} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (err %v), want %v", path, fi.Mode().Perm(), err, want)
		}
	}
	// The umask is honoured.
	syscall.Umask(0o077)
	key2 := Key("rawhd", "b.flac", 1, time.Now(), "s")
	if err := c.Store(key2, testEntry()); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(c.path(key2)); fi.Mode().Perm() != 0o600 {
		t.Errorf("with umask 077 the entry has mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestLoadRefreshesOldEntries(t *testing.T) {
	c, _ := Open(t.TempDir())
	key := Key("rawhd", "a.flac", 1, time.Now(), "s")
	if err := c.Store(key, testEntry()); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-72 * time.Hour)
	os.Chtimes(c.path(key), old, old)
	if _, ok := c.Load(key); !ok {
		t.Fatal("miss")
	}
	if fi, _ := os.Stat(c.path(key)); time.Since(fi.ModTime()) > time.Hour {
		t.Errorf("a hit left the modification time at %v", fi.ModTime())
	}
}

func TestWritable(t *testing.T) {
	dir := t.TempDir()
	if err := Writable(filepath.Join(dir, "new", "cache")); err != nil {
		t.Errorf("a new folder in a writable one: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "new", "cache")); len(left) != 0 {
		t.Errorf("the probe left %v behind", left)
	}
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	if err := Writable(filepath.Join(blocker, "cache")); err == nil {
		t.Error("a folder below a regular file is writable")
	}
}

func TestListAndPrune(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir)
	old, recent := time.Now().Add(-40*24*time.Hour), time.Now()
	var keys []string
	for i, set := range []string{"rawhd", "rawhd", "rawsc"} {
		key := Key(set, string(rune('a'+i)), 1, recent, "s")
		e := testEntry()
		e.Set = set
		if err := c.Store(key, e); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	os.Chtimes(c.path(keys[0]), old, old)
	// Files that are not the cache's must survive anything.
	foreign := []string{filepath.Join(dir, "README"), filepath.Join(dir, keys[0][:2], "notes.txt"), filepath.Join(dir, "zz", keys[1]+".mel")}
	for _, f := range foreign {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("keep"), 0o644)
		os.Chtimes(f, old, old)
	}
	tmp := filepath.Join(dir, keys[2][:2], ".tmp-0123456789abcdef")
	os.WriteFile(tmp, []byte("partial"), 0o644)
	os.Chtimes(tmp, old, old)

	s, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Entries != 3 || s.BySet["rawhd"] != 2 || s.BySet["rawsc"] != 1 || s.Temporary != 1 || s.Oldest.Sub(old).Abs() > time.Second || s.Newest.Before(recent.Add(-time.Second)) {
		t.Errorf("List gave %+v", s)
	}
	n, freed, err := Prune(dir, time.Now().Add(-30*24*time.Hour))
	if err != nil || n != 1 || freed <= 0 {
		t.Fatalf("Prune removed %d entries, %d bytes, err %v; want 1", n, freed, err)
	}
	if _, err := os.Stat(c.path(keys[0])); err == nil {
		t.Error("the old entry survived")
	}
	if _, err := os.Stat(tmp); err == nil {
		t.Error("the stale temporary file survived")
	}
	for _, k := range keys[1:] {
		if _, ok := c.Load(k); !ok {
			t.Errorf("recent entry %s was pruned", k)
		}
	}
	for _, f := range foreign {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("Prune removed a file that is not the cache's: %s", f)
		}
	}
	// Pruning everything empties the shard folders.
	if n, _, err := Prune(dir, time.Now().Add(time.Hour)); err != nil || n != 2 {
		t.Fatalf("Prune all removed %d, err %v", n, err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"README", keys[0][:2], "zz"} // the shard holding notes.txt stays
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("left in the cache folder: %v, want %v", names, want)
	}
	if _, err := List(filepath.Join(dir, "missing")); err == nil {
		t.Error("List of a missing folder gave no error")
	}
}

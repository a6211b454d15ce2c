package featurecache

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestEntryRoundTrip(t *testing.T) {
	feats := [][]float64{{1, -2.5, 3}, {0.125, 5, -6}}
	got, err := decodeFeatures(encodeFeatures(feats))
	if err != nil || !reflect.DeepEqual(got, feats) {
		t.Fatalf("round trip gave %v, %v", got, err)
	}
	good := encodeFeatures(feats)
	for name, b := range map[string][]byte{
		"empty":     nil,
		"short":     good[:12],
		"bad magic": append([]byte("XXXXXXXX"), good[8:]...),
		"truncated": good[:len(good)-5],
	} {
		if _, err := decodeFeatures(b); err == nil {
			t.Errorf("%s entry accepted", name)
		}
	}
}

func TestStoreLoadAndKey(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "a.wav")
	if err := os.WriteFile(rec, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(rec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	key := Key(rec, fi, "settings")
	if _, ok := c.Load(key); ok {
		t.Fatal("hit in an empty cache")
	}
	feats := [][]float64{{1, 2}, {3, 4}, {5, 6}}
	if err := c.Store(key, feats); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Load(key); !ok || !reflect.DeepEqual(got, feats) {
		t.Fatalf("Load gave %v, %v", got, ok)
	}
	// Other settings, another size or another modification time miss.
	if Key(rec, fi, "other") == key {
		t.Error("settings are not part of the key")
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(rec, later, later); err != nil {
		t.Fatal(err)
	}
	if fi2, _ := os.Stat(rec); Key(rec, fi2, "settings") == key {
		t.Error("the modification time is not part of the key")
	}
}

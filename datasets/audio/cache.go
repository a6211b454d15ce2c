package audio

import (
	"maps"
	"slices"
	"time"

	"github.com/spikegrad/spikegrad/datasets/audio/internal/featurecache"
)

// CacheInfo describes the content of a feature cache folder.
type CacheInfo struct {
	Dir     string
	Entries int   // one per recording and feature setting
	Bytes   int64 // taken by the entries
	// Oldest and Newest are the earliest and latest times an entry was
	// written or, to within a day, last used.
	Oldest, Newest time.Time
	// BySet counts the entries of each data set ("rawhd", "rawsc");
	// entries of an older cache version count under "(old)" and
	// unreadable ones under "(damaged)".
	BySet map[string]int
	// Temporary counts the leftovers of interrupted writes.
	Temporary int
}

// Sets returns the data sets of BySet, sorted.
func (c CacheInfo) Sets() []string { return slices.Sorted(maps.Keys(c.BySet)) }

// CheckCache reports whether dir is a feature cache (a folder holding only
// the cache's shard folders, or nothing) and, with write, whether its
// entries can be removed. cmd/cache calls it before listing or pruning.
func CheckCache(dir string, write bool) error { return featurecache.Check(dir, write) }

// CacheSummary describes the feature cache in dir, reading the header of
// every entry.
func CacheSummary(dir string) (CacheInfo, error) {
	s, err := featurecache.List(dir)
	return CacheInfo{Dir: s.Dir, Entries: s.Entries, Bytes: s.Bytes, Oldest: s.Oldest, Newest: s.Newest,
		BySet: s.BySet, Temporary: s.Temporary}, err
}

// PruneCache removes the entries of the feature cache in dir that were
// last written or used before the given time (pass a time in the future
// to empty it) and the leftovers of interrupted writes. A load refreshes
// the time of the entries it uses at most once a day, so pruning
// entries older than a few days never costs a running project its cache.
// Only files named like cache entries are removed, so a wrong dir loses
// nothing else. It returns how many entries it removed and the bytes it
// freed.
func PruneCache(dir string, before time.Time) (removed int, freed int64, err error) {
	return featurecache.Prune(dir, before)
}

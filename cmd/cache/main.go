// Command cache lists and prunes the feature caches of the audio data sets
// (rawhd, rawsc), which keep the log Mel features of every recording so
// that a second load decodes nothing.
//
//	go run ./cmd/cache                                # the user's cache
//	go run ./cmd/cache --data-dir data/sc             # the cache a load of data/sc uses
//	go run ./cmd/cache --dir /shared/cache --older-than 720h --prune
//	go run ./cmd/cache --data-dir data/sc --all --prune
//
// A load refreshes the time of the entries it uses at most once a day, so
// pruning entries unused for longer than a few days never empties the
// cache of a project in use. Pruning removes only files named like cache
// entries.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets/audio"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cache", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "the cache folder (default: the user's cache, "+userCache()+")")
	dataDir := fs.String("data-dir", "", "the data folder whose cache to use: its .spikegrad-cache if there is one, else the user's cache")
	prune := fs.Bool("prune", false, "remove entries (with --older-than or --all)")
	olderThan := fs.Duration("older-than", 0, "with --prune: remove entries not used for this long, such as 720h")
	all := fs.Bool("all", false, "with --prune: remove every entry")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		// The flag package printed the error; a guess at the flag meant
		// is worth a line more.
		if hinted := cli.HintFlag(fs, err); hinted != err {
			fmt.Fprintf(stderr, "cache: %v\n", hinted)
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "cache: unexpected argument %q\n", fs.Arg(0))
		return 2
	case *dir != "" && *dataDir != "":
		fmt.Fprintln(stderr, "cache: give --dir or --data-dir, not both")
		return 2
	case *prune && (*olderThan > 0) == *all:
		fmt.Fprintln(stderr, "cache: --prune needs either --older-than or --all")
		return 2
	case !*prune && (*olderThan > 0 || *all):
		fmt.Fprintln(stderr, "cache: --older-than and --all need --prune")
		return 2
	}
	target, err := cacheDir(*dir, *dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "cache: %v\n", err)
		return 1
	}
	// A wrong folder is said so before anything is listed or removed.
	if err := audio.CheckCache(target, *prune); err != nil {
		from := "the user's cache"
		switch {
		case *dir != "":
			from = "--dir"
		case *dataDir != "" && target != userCache():
			from = "--data-dir " + *dataDir + ": its cache"
		}
		fmt.Fprintf(stderr, "cache: %s %s: %v\n", from, target, err)
		return 1
	}
	if *prune {
		before := time.Now().Add(-*olderThan)
		if *all {
			before = time.Now().Add(time.Hour)
		}
		n, freed, err := audio.PruneCache(target, before)
		if err != nil {
			fmt.Fprintf(stderr, "cache: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: removed %d entries, %s\n", target, n, size(freed))
	}
	info, err := audio.CacheSummary(target)
	if err != nil {
		fmt.Fprintf(stderr, "cache: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d entries, %s\n", info.Dir, info.Entries, size(info.Bytes))
	for _, set := range info.Sets() {
		fmt.Fprintf(stdout, "  %-10s %d entries\n", set, info.BySet[set])
	}
	if info.Entries > 0 {
		fmt.Fprintf(stdout, "  last used between %s and %s\n", info.Oldest.Format(time.DateTime), info.Newest.Format(time.DateTime))
	}
	if info.Temporary > 0 {
		fmt.Fprintf(stdout, "  %d leftovers of interrupted writes (--prune removes those over an hour old)\n", info.Temporary)
	}
	return 0
}

// cacheDir returns the folder to work on.
func cacheDir(dir, dataDir string) (string, error) {
	switch {
	case dir != "":
		return dir, nil
	case dataDir != "":
		// The data folder's cache if it has one: where a load of it reads.
		if fi, err := os.Stat(filepath.Join(dataDir, audio.CacheDirName)); err == nil && fi.IsDir() {
			return filepath.Join(dataDir, audio.CacheDirName), nil
		}
	}
	return audio.UserCacheDir()
}

func userCache() string {
	d, err := audio.UserCacheDir()
	if err != nil {
		return "none: " + err.Error()
	}
	return d
}

// size formats a byte count.
func size(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}

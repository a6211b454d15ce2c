package lease

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// The files and folders of a run folder that belong to its leases.
const (
	leasePrefix  = ".lease."  // .lease.N, .lease.N.done: generation N's lease
	stagePrefix  = ".writer." // .writer.N/: generation N's temporary files
	fencedPrefix = ".fenced." // a fenced generation's folder, being removed
)

// MaxGeneration bounds the generation a lease file may be of. A run is
// claimed a few times in its life; a file of a higher generation was not
// written by this package, and would leave no next one to claim.
const MaxGeneration = 1 << 30

// tempAge is the age after which a temporary lease file is a leftover: a
// claim writes and links it within milliseconds.
const tempAge = time.Minute

// leaseFile is one lease file of a folder.
type leaseFile struct {
	gen  int
	done bool
	name string
}

// listLeases returns the lease files of dir, oldest generation first. A
// file whose name is a generation beyond MaxGeneration is an error naming
// it: ignored, it would hold the run silently.
func listLeases(dir string) ([]leaseFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []leaseFile
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), leasePrefix)
		if !ok {
			continue
		}
		num, done := strings.CutSuffix(rest, ".done")
		if !allDigits(num) {
			continue // a temporary file, or none of ours
		}
		g, err := strconv.Atoi(num)
		if err != nil || g > MaxGeneration {
			return nil, fmt.Errorf("run folder %s: lease file %s claims generation %s, beyond the %d a run can reach; remove it if no process of yours holds the run",
				dir, filepath.Join(dir, e.Name()), num, MaxGeneration)
		}
		if g < 1 {
			continue
		}
		out = append(out, leaseFile{gen: g, done: done, name: e.Name()})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].gen != out[j].gen {
			return out[i].gen < out[j].gen
		}
		return !out[i].done
	})
	return out, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// current returns the highest generation's file, or gen 0 if none.
func current(ls []leaseFile) leaseFile {
	var c leaseFile
	for _, l := range ls {
		if l.gen > c.gen || (l.gen == c.gen && l.done) {
			c = l
		}
	}
	return c
}

// readSmall reads a lease file, which is a few hundred bytes.
func readSmall(path string) ([]byte, error) { return readlimit.ReadFile(path, 64<<10) }

// create creates path holding b if it does not exist, atomically: the file
// appears with its content, by a hard link from a temporary file (which
// fails if path exists, also over NFS), or, where links are not supported,
// by O_EXCL and a write. The temporary file is removed whatever happens; a
// killed process's is removed by later claims (removeOldTemps).
func create(path string, b []byte) error {
	tmp := fmt.Sprintf("%s.tmp%d.%d", path, os.Getpid(), time.Now().UnixNano())
	defer os.Remove(tmp)
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	err := os.Link(tmp, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
	}
	return werr
}

// fence removes the folders of the generations before gen, after renaming
// each out of its place: from the rename on, a writer of that generation
// finds no folder to write through, and whatever it was writing is gone
// with the folder. Removing (not only renaming) also fences a writer on
// another machine whose network file system cached the folder's handle.
func fence(dir string, gen int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if rest, ok := strings.CutPrefix(name, stagePrefix); ok && allDigits(rest) {
			if g, err := strconv.Atoi(rest); err != nil || g >= gen {
				continue
			}
			dead := filepath.Join(dir, fmt.Sprintf("%s%s.%x", fencedPrefix, rest, rand.Uint64()))
			if err := os.Rename(filepath.Join(dir, name), dead); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				return fmt.Errorf("fence the writer of %s: %w", filepath.Join(dir, name), err)
			}
			os.RemoveAll(dead)
		} else if strings.HasPrefix(name, fencedPrefix) && e.IsDir() {
			os.RemoveAll(filepath.Join(dir, name)) // left by a claim that died removing it
		}
	}
	return nil
}

// removeOldTemps removes the temporary lease files that claims killed
// between writing and linking them left in dir, or that failed writes
// left on a full disk.
func removeOldTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), leasePrefix)
		if !ok || !strings.Contains(rest, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > tempAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

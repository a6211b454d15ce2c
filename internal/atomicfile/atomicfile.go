package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Perm is the mode of the files Write creates, before the umask.
const Perm fs.FileMode = 0o644

// Write writes path through write. Errors name path. On any error the
// temporary file is removed and path is left as it was.
func Write(path string, write func(w io.Writer) error) error {
	return WriteVia(filepath.Dir(path), path, write)
}

// WriteVia is Write with the temporary file in folder stage, which must be
// on the file system of path. The file appears at path by one rename from
// stage: a writer whose stage has been removed cannot publish anything,
// which is how package lease fences a writer that lost its lease.
func WriteVia(stage, path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := createTemp(stage, "."+filepath.Base(path)+".tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	// Without a checked sync, a full disk or a failing device can surface
	// only after the rename, as a truncated file in place of a good one.
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// WriteBytes writes b to path as Write does.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// createTemp creates a new file prefix+<random> in dir with mode Perm less
// the umask. os.CreateTemp would give 0600 whatever the umask, and a
// Chmod afterwards would have to guess the umask.
func createTemp(dir, prefix string) (*os.File, error) {
	for range 1000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, Perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name %s* in %s", prefix, dir)
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder;
// there the rename is as durable as the file system makes it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// IsTemp reports whether name (a base name) is a temporary file that Write
// creates for one of the given base names, or for any file if none are
// given.
func IsTemp(name string, bases ...string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	i := strings.LastIndex(name, ".tmp")
	if i < 1 || i+4 == len(name) {
		return false
	}
	for _, c := range name[i+4:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	if len(bases) == 0 {
		return true
	}
	return slices.Contains(bases, name[1:i])
}

// RemoveTemps removes the temporary files that writes of the given base
// names in dir left behind when their process was killed, and returns the
// names it removed. Call it only when no other process writes these files.
func RemoveTemps(dir string, bases ...string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if e.Type().IsRegular() && IsTemp(e.Name(), bases...) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
			removed = append(removed, e.Name())
		}
	}
	return removed, nil
}

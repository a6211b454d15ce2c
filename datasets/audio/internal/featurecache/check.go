package featurecache

import (
	"errors"
	"fmt"
	"os"
)

// Check reports whether dir is a feature cache: a folder that holds
// nothing but the two-hex-digit folders of the entries (and the leftovers
// of interrupted writes). An empty folder is an empty cache. With write,
// it also checks that entries can be removed, by creating and removing a
// file, which the permission bits do not tell for read-only mounts or
// root. Tools that prune call it first, so that a wrong folder fails with
// a reason instead of pruning nothing quietly.
func Check(dir string, write bool) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	items, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, it := range items {
		name := it.Name()
		temp := !it.IsDir() && len(name) == len(tempPrefix)+16 && name[:len(tempPrefix)] == tempPrefix && isHex(name[len(tempPrefix):], 16)
		if !(it.IsDir() && isHex(name, 2)) && !temp {
			return fmt.Errorf("not a feature cache: it holds %q, and a cache holds only folders named 00 to ff", name)
		}
	}
	if write {
		f, err := createTemp(dir)
		if err != nil {
			return fmt.Errorf("cannot write into it: %w", err)
		}
		name := f.Name()
		f.Close()
		if err := os.Remove(name); err != nil {
			return fmt.Errorf("cannot remove from it: %w", err)
		}
	}
	return nil
}

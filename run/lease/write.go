package lease

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// A holder changes its folder only through WriteFile, Rename and Remove.
// Each writes its temporary file into the generation's own folder
// (.writer.N) and makes the change by one rename out of it or into it; a
// claim that takes the folder over removes that folder first (fence). So a
// holder that lost its lease — paused by the scheduler, a debugger, a slow
// network file system or a garbage collection between its last check and
// its write — cannot change the folder any more: the rename finds no
// folder, and the write fails with an error matching ErrLost. What it
// published before the takeover is what the new holder found and
// continued from.

// WriteFile writes the file name of the folder atomically through write,
// fenced: it appears whole, and only while this lease is the folder's
// latest. name is a base name.
func (l *Lease) WriteFile(name string, write func(io.Writer) error) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := l.Check(); err != nil {
		return err
	}
	path := filepath.Join(l.dir, name)
	err := atomicfile.WriteVia(l.stage, path, func(w io.Writer) error {
		if err := write(w); err != nil {
			return err
		}
		l.beforePublish(name)
		return nil
	})
	return l.explain(err)
}

// Rename renames file from of the folder to to, fenced as WriteFile is;
// to is replaced if it exists. The file keeps its name until a copy stands
// at to, so a holder fenced between the steps loses nothing.
func (l *Lease) Rename(from, to string) error {
	if err := checkName(from); err != nil {
		return err
	}
	if err := checkName(to); err != nil {
		return err
	}
	if err := l.Check(); err != nil {
		return err
	}
	src := filepath.Join(l.dir, from)
	tmp := filepath.Join(l.stage, fmt.Sprintf(".%s.tmp%x", to, rand.Uint64()))
	if err := os.Link(src, tmp); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return l.explain(fmt.Errorf("rename %s: %w", src, err))
		}
		// No hard links here (some network and FUSE file systems): copy.
		if err := copyFile(src, tmp); err != nil {
			os.Remove(tmp)
			return l.explain(fmt.Errorf("rename %s: %w", src, err))
		}
	}
	l.beforePublish(to)
	if err := os.Rename(tmp, filepath.Join(l.dir, to)); err != nil {
		os.Remove(tmp)
		return l.explain(fmt.Errorf("rename %s: %w", src, err))
	}
	return l.Remove(from)
}

// Remove removes file name of the folder, fenced: it is moved into the
// generation's folder and deleted there.
func (l *Lease) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := l.Check(); err != nil {
		return err
	}
	src := filepath.Join(l.dir, name)
	gone := filepath.Join(l.stage, fmt.Sprintf(".%s.removed%x", name, rand.Uint64()))
	l.beforePublish(name)
	if err := os.Rename(src, gone); err != nil {
		return l.explain(fmt.Errorf("remove %s: %w", src, err))
	}
	return os.Remove(gone)
}

// SetBeforePublish sets a function that each write (WriteFile, Rename,
// Remove) calls after the lease was checked and right before the change is
// made, with the name of the file it changes: fault-injection tests pause
// a holder there, where no check can help and only the fence does.
func (l *Lease) SetBeforePublish(f func(name string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hook = f
}

func (l *Lease) beforePublish(name string) {
	l.mu.Lock()
	f := l.hook
	l.mu.Unlock()
	if f != nil {
		f(name)
	}
}

// explain returns err, or the lost lease behind it: a write that failed
// because the generation's folder was fenced says so.
func (l *Lease) explain(err error) error {
	if err == nil {
		return nil
	}
	if _, serr := os.Stat(l.stage); errors.Is(serr, fs.ErrNotExist) {
		if lost := l.Check(); lost != nil {
			return lost
		}
		return &LostError{Dir: l.dir, File: l.stage}
	}
	return err
}

func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("lease: %q is not a file name of the run folder", name)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, atomicfile.Perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if serr := out.Sync(); err == nil {
		err = serr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

//go:build unix

package paper

import (
	"os"
	"syscall"
)

// lockDir holds an exclusive lock on the folder dir until unlock is
// called: reproductions sharing an output folder take it around each
// read-modify-write of a timing file.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil // closing the last descriptor releases the lock
}

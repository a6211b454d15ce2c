//go:build unix

package lease

import (
	"errors"
	"syscall"
)

// processAlive reports whether process pid of this machine runs.
func processAlive(pid int) (alive, ok bool) {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM), true
}

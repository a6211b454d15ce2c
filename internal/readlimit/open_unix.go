//go:build unix

package readlimit

import (
	"os"
	"syscall"
)

// openNoWait opens name for reading without waiting for a writer, should
// it be a named pipe. For a regular file the flag changes nothing: reads
// from disk do not return EAGAIN.
func openNoWait(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

//go:build !unix

package readlimit

import (
	"os"
)

// openNoWait looks before it opens: without O_NONBLOCK a named pipe is
// told apart only by its mode.
func openNoWait(name string) (*os.File, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotRegularError{Name: name, Kind: kind(fi.Mode())}
	}
	return os.Open(name)
}

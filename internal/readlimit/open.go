package readlimit

import (
	"fmt"
	"io/fs"
	"os"
)

// Open opens the file name for reading if it is a regular file, or a
// symbolic link to one, and fails with an error naming it otherwise.
// Everything spikegrad reads from a path is a regular file: a named pipe
// would block the open until some process writes to it, a device would
// never end, and a folder or socket cannot be read at all.
func Open(name string) (*os.File, error) {
	f, err := openNoWait(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &NotRegularError{Name: name, Kind: kind(fi.Mode())}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// NotRegularError reports a path that is not a regular file.
type NotRegularError struct {
	Name string // the path
	Kind string // what it is instead: "a named pipe", "a folder", …
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Name, e.Kind)
}

// kind names what a file that is not a regular one is.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file (mode " + m.String() + ")"
}

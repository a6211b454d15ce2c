//go:build unix

package atomicfile_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// withUmask runs fn with the process umask set to mask.
func withUmask(t *testing.T, mask int, fn func()) {
	t.Helper()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}

// Files are 0644 less the umask: readable by the group and others under
// the usual umask 022, private under 077. os.CreateTemp, used before, made
// every file 0600.
func TestModeHonoursUmask(t *testing.T) {
	for _, c := range []struct {
		umask int
		want  fs.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}} {
		withUmask(t, c.umask, func() {
			path := filepath.Join(t.TempDir(), "f.json")
			if err := atomicfile.WriteBytes(path, []byte("{}")); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != c.want {
				t.Errorf("umask %03o: mode %03o, want %03o", c.umask, got, c.want)
			}
		})
	}
}

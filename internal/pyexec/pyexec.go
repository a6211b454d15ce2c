// Package pyexec finds a Python 3 interpreter for the tests that check
// spikegrad's files with an independent program in Python (numpy and h5py,
// from Debian's packages, which .ci/run installs).
package pyexec

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Find returns the path of a python3 that imports every module in modules,
// trying Debian's /usr/bin/python3 first (a python3 earlier on PATH, such
// as a pyenv one, may lack the Debian packages), then python3 on PATH. It
// returns "" if there is none.
func Find(modules ...string) string {
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, py := range candidates {
		if _, err := os.Stat(py); err != nil {
			continue
		}
		code := "import " + strings.Join(append([]string{"sys"}, modules...), ", ")
		if exec.Command(py, "-c", code).Run() == nil {
			return py
		}
	}
	return ""
}

// Require returns Find(modules...) or, if there is none, skips the test;
// in continuous integration (environment variable CI=true) a missing
// interpreter fails the test instead.
func Require(t testing.TB, modules ...string) string {
	t.Helper()
	py := Find(modules...)
	if py == "" {
		msg := "no python3 that imports " + strings.Join(modules, ", ") + " (apt-get install python3-numpy python3-h5py)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		} else {
			t.Skip(msg)
		}
	}
	return py
}

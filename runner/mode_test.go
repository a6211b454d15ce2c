//go:build unix

package runner_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// Every file of a run folder is readable by the group and others under
// the usual umask 022, so that collaborators on a shared cluster can read
// a sweep's results; they used to be 0600.
func TestRunFilesAreReadableByOthers(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	s := smallSettings(t)
	s.Epochs = 1
	_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{run.SettingsFile, run.BestFile, run.LastFile, run.RecordFile} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %03o, want 0644", f, fi.Mode().Perm())
		}
	}
}

package run

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// Files a run writes into its folder.
const (
	SettingsFile = "settings.yaml" // the effective settings; --config reruns them
	BestFile     = "best.npz"      // weights of the best validation epoch so far
	LastFile     = "last.npz"      // weights and training state after the last completed epoch
	RecordFile   = "record.json"   // the run record, rewritten after every epoch
)

// MakeDir creates the run's folder: Out/Name, or Out/<time>-<dataset> with
// a numeric suffix if taken. Folders get mode 0755 less the umask.
func (s *Settings) MakeDir() (string, error) {
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return "", fmt.Errorf("out: %w", err)
	}
	if s.Name != "" {
		dir := filepath.Join(s.Out, s.Name)
		return dir, os.MkdirAll(dir, 0o755)
	}
	base := filepath.Join(s.Out, time.Now().Format("20060102-150405")+"-"+s.Dataset)
	for i := 1; ; i++ {
		dir := base
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("out: %w", err)
		}
	}
}

// SaveYAML writes s to path as YAML, atomically.
func (s *Settings) SaveYAML(path string) error {
	y, err := s.YAML()
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, y)
}

// Completed reports whether run folder dir holds a completed run: a record
// that says so, and both checkpoints. A completed record whose checkpoints
// were deleted describes weights that no longer exist.
func Completed(dir string) bool {
	r, err := LoadRecord(filepath.Join(dir, RecordFile))
	return err == nil && r.Status == "completed" && len(Files(dir, BestFile, LastFile)) == 2
}

// Files returns those of names (by default the four files of a run) that
// exist in dir as non-empty regular files, in the order given.
func Files(dir string, names ...string) []string {
	if len(names) == 0 {
		names = []string{SettingsFile, BestFile, LastFile, RecordFile}
	}
	var out []string
	for _, n := range names {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			out = append(out, n)
		}
	}
	return out
}

package train

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
)

// Files a run writes into its folder.
const (
	SettingsFile = "settings.yaml" // the effective settings; --config reruns them
	BestFile     = "best.npz"      // weights of the best validation epoch so far
	LastFile     = "last.npz"      // weights after the last completed epoch
	RecordFile   = "record.json"   // the run record, rewritten after every epoch
)

// Hooks let a caller follow a run.
type Hooks struct {
	Data  func(d *datasets.Data, took time.Duration)
	Start func(spec models.Spec, dir string)
	Epoch func(e Epoch)
	Batch func(done, total int)
}

// Execute performs the run s describes: it loads the data, trains, and keeps
// in its own folder under s.Out the settings, the best and the last weights
// and the run record, each written atomically as soon as it changes, so an
// interrupted run loses nothing already written. It returns the record and
// the folder; a run stopped by ctx returns an error wrapping ctx.Err().
func Execute(ctx context.Context, s *Settings, h Hooks) (*Record, string, error) {
	if err := s.Validate(); err != nil {
		return nil, "", err
	}
	s.ApplyThreads()
	rec := &Record{Status: "running", Settings: *s, Started: time.Now(), Software: software()}
	d, err := s.LoadData(ctx)
	if err != nil {
		return nil, "", err
	}
	s.fitBatch(d)
	rec.Settings = *s
	if h.Data != nil {
		h.Data(d, time.Since(rec.Started))
	}
	rec.Data = DataInfo{Name: d.Name, Train: d.Train.Len(), Validation: d.Validation.Len(), Test: d.Test.Len(),
		Inputs: d.Train.Units, Classes: d.Train.Classes, Steps: d.Train.Steps,
		Notes: d.Notes, Warnings: d.Warnings, Skipped: d.Skipped}
	spec, cfg, err := s.plan(d)
	if err != nil {
		return nil, "", err
	}
	dir, err := s.makeDir()
	if err != nil {
		return nil, "", err
	}
	if err := s.saveYAML(filepath.Join(dir, SettingsFile)); err != nil {
		return nil, dir, err
	}
	if h.Start != nil {
		h.Start(spec, dir)
	}
	cfg.OnBatch = h.Batch
	cfg.OnEpoch = func(e Epoch, w *models.Weights, best bool) error {
		rec.History = append(rec.History, e)
		if best {
			rec.BestEpoch, rec.Validation, rec.Checkpoint = e.Epoch, e.Validation, BestFile
			if err := SaveCheckpoint(filepath.Join(dir, BestFile), s, w); err != nil {
				return err
			}
		}
		if err := SaveCheckpoint(filepath.Join(dir, LastFile), s, w); err != nil {
			return err
		}
		if h.Epoch != nil {
			h.Epoch(e)
		}
		return rec.finish(dir, "running", nil)
	}
	res, err := Run(ctx, spec, d, cfg)
	if res != nil && res.Test.N > 0 {
		rec.Test, rec.Activity = &res.Test, res.TestActivity
	}
	status := "completed"
	switch {
	case ctx.Err() != nil:
		status, err = "interrupted", fmt.Errorf("interrupted after %d complete epochs: %w", len(rec.History), ctx.Err())
	case err != nil:
		status = "failed"
	}
	if werr := rec.finish(dir, status, err); werr != nil && err == nil {
		err = werr
	}
	return rec, dir, err
}

// plan derives the network and optimiser settings for d, starting from the
// checkpoint of s.Resume if there is one.
func (s *Settings) plan(d *datasets.Data) (models.Spec, Config, error) {
	spec, err := s.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		return spec, Config{}, err
	}
	cfg, err := s.Config()
	if err != nil || s.Resume == "" {
		return spec, cfg, err
	}
	ck, err := LoadCheckpoint(s.Resume)
	if err != nil {
		return spec, cfg, fmt.Errorf("resume: %w", err)
	}
	if err := s.compatible(&ck.Settings); err != nil {
		return spec, cfg, fmt.Errorf("resume: checkpoint %s: %w", s.Resume, err)
	}
	if got := ck.Weights.W[0].Dtype(); got != cfg.DType {
		return spec, cfg, fmt.Errorf("resume: checkpoint %s holds %v weights, dtype is %v", s.Resume, got, cfg.DType)
	}
	cfg.Init = ck.Weights
	return spec, cfg, nil
}

// architecture lists the settings a checkpoint's weights depend on.
var architecture = []string{"dataset", "hidden", "recurrent", "steps", "dt", "tau-mem", "tau-syn", "tau-readout", "readout",
	"randman-classes", "randman-units"}

// compatible reports the first architecture setting in which c differs.
func (s *Settings) compatible(c *Settings) error {
	for _, name := range architecture {
		a, _ := s.Lookup(name)
		b, _ := c.Lookup(name)
		if a.String() != b.String() {
			return fmt.Errorf("was trained with %s = %s, this run has %s", name, b.String(), a.String())
		}
	}
	return nil
}

// makeDir creates the run's folder: Out/Name, or Out/<time>-<dataset> with
// a numeric suffix if taken.
func (s *Settings) makeDir() (string, error) {
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

func (s *Settings) saveYAML(path string) error {
	y, err := s.YAML()
	if err != nil {
		return err
	}
	return writeAtomic(path, func(f *os.File) error {
		_, err := f.Write(y)
		return err
	})
}

// finish stamps the record and writes it.
func (r *Record) finish(dir, status string, err error) error {
	r.Status, r.Finished = status, time.Now()
	r.WallSeconds = r.Finished.Sub(r.Started).Seconds()
	r.Error = ""
	if err != nil {
		r.Error = err.Error()
	}
	return r.Save(filepath.Join(dir, RecordFile))
}

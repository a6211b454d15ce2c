package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/train"
	"github.com/spikegrad/spikegrad/train/metrics"
)

// Hooks let a caller follow a run.
type Hooks struct {
	Data  func(d *datasets.Data, took time.Duration)
	Start func(spec models.Spec, dir string)
	Epoch func(e metrics.Epoch)
	Batch func(done, total int)
}

// Execute performs the run s describes: it loads the data, trains, and keeps
// in its own folder under s.Out the settings, the best and the last weights
// and the run record, each written atomically as soon as it changes, so an
// interrupted run loses nothing already written. It returns the record and
// the folder; a run stopped by ctx returns an error wrapping ctx.Err().
//
// With s.Resume the run continues from a checkpoint. A last.npz continues
// exactly: the history, the best weights, Adam's state and the minibatch
// order carry over, and s.Epochs counts all epochs, so resuming with the
// settings of an interrupted run finishes it as if it had never stopped
// (on the same number of threads). A checkpoint with weights only starts
// from its weights with a fresh optimiser and history.
func Execute(ctx context.Context, s *run.Settings, h Hooks) (*run.Record, string, error) {
	if err := s.Validate(); err != nil {
		return nil, "", err
	}
	rec := &run.Record{Status: "running", Settings: *s, Started: time.Now(), Software: run.CurrentSoftware()}
	d, err := s.LoadData(ctx)
	if err != nil {
		return nil, "", err
	}
	if h.Data != nil {
		h.Data(d, time.Since(rec.Started))
	}
	rec.Data = run.DataInfo{Name: d.Name, Train: d.Train.Len(), Validation: d.Validation.Len(), Test: d.Test.Len(),
		Inputs: d.Train.Units, Classes: d.Train.Classes, Steps: d.Train.Steps}
	spec, cfg, ck, err := plan(s, d)
	if err != nil {
		return nil, "", err
	}
	rec.Settings = *s // --resume with a .nir file sets the network
	dir, err := s.MakeDir()
	if err != nil {
		return nil, "", err
	}
	if err := s.SaveYAML(filepath.Join(dir, run.SettingsFile)); err != nil {
		return nil, dir, err
	}
	if ck != nil {
		if err := carryOver(rec, ck, s, dir); err != nil {
			return nil, dir, err
		}
	}
	if h.Start != nil {
		h.Start(spec, dir)
	}
	cfg.OnBatch = h.Batch
	cfg.OnEpoch = func(p train.Progress) error {
		rec.History = append(rec.History, p.Epoch)
		if p.Best {
			rec.BestEpoch, rec.Validation, rec.Checkpoint = p.Epoch.Epoch, p.Epoch.Validation, run.BestFile
			if err := SaveCheckpoint(filepath.Join(dir, run.BestFile), &Checkpoint{Settings: *s, Weights: p.Weights}); err != nil {
				return err
			}
		}
		st, err := p.State()
		if err != nil {
			return err
		}
		last := &Checkpoint{Settings: *s, Weights: p.Weights, State: st, Resumes: rec.Resumes}
		if err := SaveCheckpoint(filepath.Join(dir, run.LastFile), last); err != nil {
			return err
		}
		if h.Epoch != nil {
			h.Epoch(p.Epoch)
		}
		return finish(rec, dir, "running", nil)
	}
	res, err := train.Run(ctx, spec, d, cfg)
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
	if werr := finish(rec, dir, status, err); werr != nil && err == nil {
		err = werr
	}
	return rec, dir, err
}

// plan derives the network and the training configuration for d, and
// loads the checkpoint of s.Resume if there is one.
func plan(s *run.Settings, d *datasets.Data) (models.Spec, train.Config, *Checkpoint, error) {
	spec, err := s.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		return spec, train.Config{}, nil, err
	}
	cfg, err := config(s)
	if err != nil || s.Resume == "" {
		return spec, cfg, nil, err
	}
	ck, err := LoadNetwork(s.Resume, s) // .npz or .nir
	if err != nil {
		return spec, cfg, nil, fmt.Errorf("resume: %w", err)
	}
	if IsNIR(s.Resume) { // the network comes from the file
		if ck.Settings.Dataset != s.Dataset {
			return spec, cfg, nil, fmt.Errorf("resume: %s: was trained on %s, this run is on %s", s.Resume, ck.Settings.Dataset, s.Dataset)
		}
		adoptNetwork(s, &ck.Settings)
		if spec, err = s.Spec(d.Train.Units, d.Train.Classes); err != nil {
			return spec, cfg, nil, fmt.Errorf("resume: %s: %w", s.Resume, err)
		}
	} else if err := s.Compatible(&ck.Settings); err != nil {
		return spec, cfg, nil, fmt.Errorf("resume: checkpoint %s: %w", s.Resume, err)
	}
	if got := ck.Weights.W[0].Dtype(); got != cfg.DType {
		return spec, cfg, nil, fmt.Errorf("resume: checkpoint %s holds %v weights, dtype is %v", s.Resume, got, cfg.DType)
	}
	if ck.State != nil && ck.State.Epoch > s.Epochs {
		return spec, cfg, nil, fmt.Errorf("epochs: checkpoint %s has done %d epochs, more than epochs = %d (which counts all of a resumed run's epochs)", s.Resume, ck.State.Epoch, s.Epochs)
	}
	cfg.Init, cfg.Resume = ck.Weights, ck.State
	return spec, cfg, ck, nil
}

// config returns the training configuration of s.
func config(s *run.Settings) (train.Config, error) {
	dt, err := s.Dtype()
	if err != nil {
		return train.Config{}, err
	}
	c := train.Config{Epochs: s.Epochs, Batch: s.Batch, Optimizer: train.DefaultOptimizer(s.LR), Seed: s.Seed, DType: dt}
	if s.Init == "fluctuation" {
		c.Fluctuation = &train.Fluctuation{Xi: s.InitXi, RecurrentShare: s.InitRecurrentShare, Samples: s.InitSamples}
	}
	return c, nil
}

// carryOver starts the record of a resumed run: it notes the resumption
// and, from a checkpoint with training state, takes over the history and
// writes the best weights so far into the new folder.
func carryOver(rec *run.Record, ck *Checkpoint, s *run.Settings, dir string) error {
	r := run.Resume{From: s.Resume, Exact: ck.State != nil, At: rec.Started}
	st := ck.State
	if st == nil {
		rec.Resumes = append(ck.Resumes, r)
		return nil
	}
	r.Epoch = st.Epoch
	rec.Resumes = append(append([]run.Resume(nil), ck.Resumes...), r)
	rec.History = append([]metrics.Epoch(nil), st.History...)
	if st.BestEpoch > 0 {
		rec.BestEpoch, rec.Validation, rec.Checkpoint = st.BestEpoch, st.History[st.BestEpoch-1].Validation, run.BestFile
		if err := SaveCheckpoint(filepath.Join(dir, run.BestFile), &Checkpoint{Settings: *s, Weights: st.Best}); err != nil {
			return err
		}
	}
	return finish(rec, dir, "running", nil)
}

// finish stamps the record and writes it.
func finish(r *run.Record, dir, status string, err error) error {
	r.Status, r.Finished = status, time.Now()
	r.WallSeconds = r.Finished.Sub(r.Started).Seconds()
	r.Error = ""
	if err != nil {
		r.Error = err.Error()
	}
	return r.Save(filepath.Join(dir, run.RecordFile))
}

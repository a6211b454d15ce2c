package runner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/train"

	// The data sets a run loads.
	_ "github.com/spikegrad/spikegrad/catalog"
)

// Hooks let a caller follow a run and share its run folder.
type Hooks struct {
	Data  func(d *datasets.Data, took time.Duration)
	Start func(spec network.Spec, dir string)
	Epoch func(e metrics.Epoch)
	Batch func(done, total int)
	// Init, if set, follows the fluctuation-driven initialisation, which
	// measures the training data before epoch 1 (train.Fluctuation's
	// Progress): called as each hidden layer is set.
	Init func(layer, layers int, took time.Duration)
	// Note, if set, receives remarks about the run folder: temporary
	// files of a killed run removed, a history continued, a best
	// checkpoint kept.
	Note func(msg string)
	// Cores, if set, bounds the cores the run's training programs use at
	// once (train.Config.Cores; 0: GOMAXPROCS), for a caller that trains
	// several runs at once. It changes the speed, never the numbers.
	Cores int
	// Lease, if set, is a lease on the run folder that the caller holds
	// (a sweep worker's). Without one, Execute takes a lease on the folder
	// for the run's duration, so that two processes never train into one
	// folder. Every file of the run is written through the lease, which
	// fences it: once another process has taken the folder over, no write
	// of this run lands there, and Execute stops with an error matching
	// lease.ErrLost.
	Lease *lease.Lease
}

func (h Hooks) note(format string, args ...any) {
	if h.Note != nil {
		h.Note(fmt.Sprintf(format, args...))
	}
}

// Execute performs the run s describes: it loads the data, trains, and keeps
// in its own folder under s.Out the settings, the best and the last weights
// and the run record, each written atomically as soon as it changes, so an
// interrupted run loses nothing already written. It returns the record and
// the folder; a run stopped by ctx returns an error wrapping ctx.Err().
//
// Before anything is loaded, the run's memory is estimated from its
// settings and a run that would not fit is refused (Settings.CheckMemory).
//
// With s.Resume the run continues from a checkpoint. A last.npz continues
// exactly: the history, the best weights, Adam's state and the minibatch
// order carry over, and s.Epochs counts all epochs, so resuming with the
// settings of an interrupted run finishes it as if it had never stopped
// (on the same number of threads). A checkpoint with weights only starts
// from its weights with a fresh optimiser and history.
//
// A folder that already holds a run is never overwritten: without s.Resume
// Execute refuses it, and resuming into it continues its history (s.Epochs
// then counts all its epochs, also from a weights-only checkpoint) and
// keeps its best.npz unless the resumed run does better on validation.
// The record always describes what is on disk: its history is that of
// last.npz and its best epoch that of best.npz.
func Execute(ctx context.Context, s *run.Settings, h Hooks) (*run.Record, string, error) {
	if err := s.Validate(); err != nil {
		return nil, "", err
	}
	if err := s.CheckMemory(); err != nil {
		return nil, "", err
	}
	rec := &run.Record{Status: "running", ID: s.ID(), Settings: *s, Started: time.Now(), Software: run.CurrentSoftware(),
		Numerics: run.Numerics, History: []metrics.Epoch{}}
	// A named folder is checked before the data are loaded: it may be in
	// use, or hold a run that must not be overwritten.
	var f *folder
	if s.Name != "" {
		var err error
		if f, err = openFolder(s, h); err != nil {
			return nil, filepath.Join(s.Out, s.Name), err
		}
		defer f.close()
	}
	if f == nil {
		if err := checkOut(s.Out); err != nil {
			return nil, "", err
		}
	}
	d, err := s.LoadData(ctx)
	if err != nil {
		return nil, "", err
	}
	if h.Data != nil {
		h.Data(d, time.Since(rec.Started))
	}
	spec, cfg, ck, err := plan(s, d)
	if err != nil {
		return nil, "", err
	}
	if note := fitBatch(&cfg, d); note != "" && h.Note != nil {
		h.Note(note)
	}
	rec.Data = run.DataInfo{Name: d.Name, Train: d.Train.Len(), Validation: d.Validation.Len(), Test: d.Test.Len(),
		Inputs: d.Train.Units, Classes: d.Train.Classes, Steps: d.Train.Steps,
		Notes: d.Notes, Warnings: d.Warnings, Skipped: d.Skipped}
	rec.Settings = *s // --resume with a .nir file sets the network
	if f == nil {
		if f, err = openFolder(s, h); err != nil {
			return nil, "", err
		}
		defer f.close()
	}
	dir := f.dir
	if err := f.resume(s, ck, &cfg, rec); err != nil {
		return nil, dir, err
	}
	cfg.Cores = h.Cores
	rec.Software.Cores = cmp.Or(h.Cores, runtime.GOMAXPROCS(0))
	if continues(s, ck) {
		// The run computes the one its checkpoint's run would have without
		// the pause: it keeps that run's settings, resume included, so
		// that its settings.yaml reruns it. The record lists the resumes.
		own := *s
		own.Resume = ck.Settings.Resume
		s = &own
		rec.Settings = own
	}
	y, err := s.YAML()
	if err != nil {
		return nil, dir, err
	}
	if err := f.writeBytes(run.SettingsFile, y); err != nil {
		return nil, dir, err
	}
	if err := f.finish(rec, "running", nil); err != nil {
		return nil, dir, err
	}
	if h.Start != nil {
		h.Start(spec, dir)
	}
	cfg.OnBatch = h.Batch
	if cfg.Fluctuation != nil {
		cfg.Fluctuation.Progress = h.Init
	}
	cfg.OnEpoch = func(p train.Progress) error {
		// last.npz first: the record's history is that of last.npz, and
		// the weights of a best epoch whose best.npz could not be written
		// are still in last.npz's state.
		st, err := p.State()
		if err != nil {
			return err
		}
		last := &Checkpoint{Settings: *s, Weights: p.Weights, State: st, Resumes: rec.Resumes}
		if err := f.writeCheckpoint(run.LastFile, last); err != nil {
			return err
		}
		rec.History = append(rec.History, p.Epoch)
		if p.Best {
			if err := f.writeCheckpoint(run.BestFile, &Checkpoint{Settings: *s, Weights: p.Weights}); err != nil {
				return fmt.Errorf("the weights of epoch %d, the best so far, are in %s but not in %s: %w", p.Epoch.Epoch, run.LastFile, run.BestFile, err)
			}
			rec.BestEpoch, rec.Validation, rec.Checkpoint = p.Epoch.Epoch, p.Epoch.Validation, run.BestFile
			rec.NeuronParams = p.Weights.PerNeuron()
		}
		if h.Epoch != nil {
			h.Epoch(p.Epoch)
		}
		return f.finish(rec, "running", nil)
	}
	res, err := train.Fit(ctx, spec, d, cfg)
	if res != nil && res.Test.N > 0 && err == nil {
		rec.Test, rec.Activity = &res.Test, res.TestActivity
		rec.FinalTest, rec.FinalActivity = &res.FinalTest, res.FinalActivity
	}
	status := "completed"
	switch {
	case ctx.Err() != nil:
		status, err = "interrupted", fmt.Errorf("interrupted after %d complete epochs: %w", len(rec.History), ctx.Err())
	case err != nil:
		status = "failed"
	}
	if gerr := f.lease.Check(); gerr != nil {
		// Another process has taken the folder over: its record stands.
		return rec, dir, lost(err, gerr)
	}
	if werr := f.finish(rec, status, err); werr != nil {
		if errors.Is(werr, lease.ErrLost) {
			return rec, dir, lost(err, werr)
		}
		if err == nil {
			err = werr
		}
	}
	return rec, dir, err
}

// lost returns the error of a run whose folder another process took over:
// the lost lease, and what stopped the run if that was not a write the
// fence refused.
func lost(err, lerr error) error {
	if err == nil || errors.Is(err, lease.ErrLost) {
		return lerr
	}
	return errors.Join(lerr, err)
}

// continues reports whether s continues the run of checkpoint ck exactly:
// ck holds the optimiser's state, and its settings are those of s but for
// the ones that do not change a run's result (run.Settings.ID) and the
// epochs. Such a continuation gives the numbers of the uninterrupted run.
func continues(s *run.Settings, ck *Checkpoint) bool {
	if ck == nil || ck.State == nil || IsNIR(s.Resume) {
		return false
	}
	a, b := *s, ck.Settings
	a.Epochs, b.Epochs = 0, 0
	return a.ID() == b.ID()
}

// folder is a run folder held under a lease.
type folder struct {
	dir   string
	lease *lease.Lease
	own   bool // the lease was taken by Execute
	h     Hooks
	prior *run.Record // the record found in the folder, if any
}

// openFolder creates (or opens, for a named run) the run's folder, takes
// its lease unless the caller holds one, removes the temporary files of a
// killed writer and reads the record of an earlier run in it. A folder
// that holds a run with epochs is refused unless s resumes.
func openFolder(s *run.Settings, h Hooks) (*folder, error) {
	dir, err := s.MakeDir()
	if err != nil {
		return nil, err
	}
	f := &folder{dir: dir, lease: h.Lease, h: h}
	if f.lease == nil {
		f.lease, err = lease.Claim(dir, lease.DefaultTTL, lease.ThisProcess(""))
		if err != nil {
			var held *lease.HeldError
			if errors.As(err, &held) {
				return nil, fmt.Errorf("name: %w: wait for it to end or choose another name", err)
			}
			return nil, err
		}
		f.own = true
	}
	removed, err := atomicfile.RemoveTemps(dir, run.SettingsFile, run.BestFile, run.LastFile, run.RecordFile)
	if err != nil {
		f.close()
		return nil, fmt.Errorf("out: %w", err)
	}
	if len(removed) > 0 {
		h.note("removed %d temporary files that a killed run left in %s: %s", len(removed), dir, strings.Join(removed, ", "))
	}
	prior, err := run.LoadRecord(filepath.Join(dir, run.RecordFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		f.close()
		return nil, fmt.Errorf("run folder %s: %w; move the folder away or choose another name", dir, err)
	default:
		f.prior = prior
	}
	if s.Resume == "" && f.holdsRun() {
		f.close()
		what := "no record"
		if f.prior != nil {
			what = fmt.Sprintf("%s, %d epochs", f.prior.Status, len(f.prior.History))
		}
		return nil, fmt.Errorf("name: run folder %s already holds a run (%s; %s); to continue it pass --resume %s, to start afresh choose another name",
			dir, what, strings.Join(run.Files(dir), ", "), filepath.Join(dir, run.LastFile))
	}
	return f, nil
}

// holdsRun reports whether the folder holds a run worth keeping: a record
// with epochs, or checkpoints.
func (f *folder) holdsRun() bool {
	return (f.prior != nil && len(f.prior.History) > 0) || len(run.Files(f.dir, run.BestFile, run.LastFile)) > 0
}

// write writes file name of the folder through the lease, which fences
// it (lease.Lease.WriteFile).
func (f *folder) write(name string, write func(io.Writer) error) error {
	return f.lease.WriteFile(name, write)
}

func (f *folder) writeBytes(name string, b []byte) error {
	return f.write(name, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func (f *folder) writeCheckpoint(name string, c *Checkpoint) error {
	enc, err := c.encoder()
	if err != nil {
		return fmt.Errorf("checkpoint %s: %w", filepath.Join(f.dir, name), err)
	}
	return f.write(name, enc)
}

// finish stamps the record and writes it.
func (f *folder) finish(r *run.Record, status string, err error) error {
	r.Status, r.Finished = status, time.Now()
	r.WallSeconds = r.Finished.Sub(r.Started).Seconds()
	r.Error = ""
	if err != nil {
		r.Error = err.Error()
	}
	b, jerr := r.JSON()
	if jerr != nil {
		return fmt.Errorf("record %s: %w", filepath.Join(f.dir, run.RecordFile), jerr)
	}
	return f.writeBytes(run.RecordFile, b)
}

func (f *folder) close() {
	if f.own {
		f.lease.Release()
	}
}

// resume sets up the record and cfg.Resume of a run resumed from ck (nil
// for a fresh run) into the folder: the history to continue and the best
// weights to beat.
func (f *folder) resume(s *run.Settings, ck *Checkpoint, cfg *train.Config, rec *run.Record) error {
	if ck == nil {
		return nil
	}
	r := run.Resume{From: s.Resume, Exact: ck.State != nil, At: rec.Started, GOMAXPROCS: runtime.GOMAXPROCS(0), Notes: ck.Notes}
	for _, n := range ck.Notes {
		f.h.note("%s: %s", s.Resume, n)
	}
	st := ck.State
	if st != nil && ck.Numerics != run.Numerics {
		r.Numerics = ck.Numerics
		f.h.note("checkpoint %s was trained with version %d of the arithmetic, this build computes version %d: the run goes on from its state, but no run from scratch gives its numbers", s.Resume, ck.Numerics, run.Numerics)
	}
	prior := f.prior
	if prior == nil || len(prior.History) == 0 {
		// A new folder: the checkpoint's run continues here.
		rec.Resumes = append(append([]run.Resume(nil), ck.Resumes...), r)
		if st == nil {
			return nil
		}
		r.Epoch = st.Epoch
		rec.Resumes[len(rec.Resumes)-1] = r
		rec.History = append([]metrics.Epoch{}, st.History...)
		if st.BestEpoch > 0 {
			if err := f.writeCheckpoint(run.BestFile, &Checkpoint{Settings: *s, Weights: st.Best}); err != nil {
				return err
			}
			rec.BestEpoch, rec.Validation, rec.Checkpoint = st.BestEpoch, st.History[st.BestEpoch-1].Validation, run.BestFile
			rec.NeuronParams = st.Best.PerNeuron()
		}
		return nil
	}
	// The folder holds a run: continue its history.
	n := len(prior.History)
	if st == nil {
		if s.Epochs <= n {
			return fmt.Errorf("epochs: run folder %s already holds %d epochs; resuming into it continues them and epochs counts all, so ask for more than %d", f.dir, n, n)
		}
		st = &train.State{Epoch: n, History: prior.History}
		cfg.Resume = st
		r.Epoch = n
		rec.Resumes = append(append([]run.Resume(nil), prior.Resumes...), r)
		f.h.note("continuing the %d epochs of %s from the weights of %s with a fresh optimiser", n, f.dir, s.Resume)
	} else {
		if !isPrefix(prior.History, st.History) {
			if isPrefix(st.History, prior.History) {
				return fmt.Errorf("resume: run folder %s holds %d epochs, checkpoint %s only %d: resuming from it would drop %d epochs; resume from %s",
					f.dir, n, s.Resume, st.Epoch, n-st.Epoch, filepath.Join(f.dir, run.LastFile))
			}
			return fmt.Errorf("resume: run folder %s holds the history of another run than checkpoint %s; resume into a new folder (another name)", f.dir, s.Resume)
		}
		r.Epoch = st.Epoch
		rec.Resumes = append(append([]run.Resume(nil), ck.Resumes...), r)
	}
	rec.History = append([]metrics.Epoch{}, st.History...)
	// Keep the folder's best.npz unless the checkpoint's run did better.
	kept := false
	if b := prior.BestEpoch; b > 0 && b <= len(st.History) && st.History[b-1].Validation.Accuracy == prior.Validation.Accuracy &&
		(st.BestEpoch == 0 || prior.Validation.Accuracy >= st.History[st.BestEpoch-1].Validation.Accuracy) {
		best, err := LoadCheckpoint(filepath.Join(f.dir, run.BestFile))
		switch {
		case err != nil:
			f.h.note("the best checkpoint of %s is unreadable, so epoch %d cannot be kept as the best: %v", f.dir, b, err)
		case s.Compatible(&best.Settings) != nil || best.Weights.W[0].Dtype() != cfg.DType:
			f.h.note("the best checkpoint of %s is of another network; it will be replaced", f.dir)
		default:
			st.BestEpoch, st.Best, kept = b, best.Weights, true
			f.h.note("keeping best.npz of %s (epoch %d, validation accuracy %.2f%%) unless the resumed run beats it", f.dir, b, 100*prior.Validation.Accuracy)
		}
	}
	if st.BestEpoch > 0 {
		if !kept {
			if err := f.writeCheckpoint(run.BestFile, &Checkpoint{Settings: *s, Weights: st.Best}); err != nil {
				return err
			}
		}
		rec.BestEpoch, rec.Validation, rec.Checkpoint = st.BestEpoch, st.History[st.BestEpoch-1].Validation, run.BestFile
		rec.NeuronParams = st.Best.PerNeuron()
	}
	return nil
}

// isPrefix reports whether a is b or the start of b, comparing what
// identifies an epoch: its number, training loss and validation result.
func isPrefix(a, b []metrics.Epoch) bool {
	if len(a) > len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Epoch != y.Epoch || x.Train.Loss != y.Train.Loss || x.Validation.Loss != y.Validation.Loss ||
			x.Validation.Accuracy != y.Validation.Accuracy {
			return false
		}
	}
	return true
}

// plan derives the network and the training configuration for d, and
// loads the checkpoint of s.Resume if there is one.
func plan(s *run.Settings, d *datasets.Data) (network.Spec, train.Config, *Checkpoint, error) {
	spec, err := s.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		return spec, train.Config{}, nil, err
	}
	cfg, err := config(s)
	if err != nil || s.Resume == "" {
		return spec, cfg, nil, err
	}
	ck, err := LoadNetworkWith(s.Resume, s, nir.Options{DT: s.ResumeDT}) // .npz or .nir
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

// fitBatch shrinks the batch to the training split if it is larger, as
// happens with a small limit, and notes it in d. The settings keep the
// batch asked for, so the run's identity does not depend on the data.
// It returns the note, or "".
func fitBatch(cfg *train.Config, d *datasets.Data) string {
	n := d.Train.Len()
	if cfg.Batch <= n || n == 0 {
		return ""
	}
	note := fmt.Sprintf("batch: %d is larger than the training split of %d samples; using %d", cfg.Batch, n, n)
	d.Notes = append(d.Notes, note)
	cfg.Batch = n
	return note
}

// dtypes are the tensor types of the dtype setting. Package run checks the
// setting but links no tensor package, so the mapping is here.
var dtypes = map[string]tensor.Dtype{"float32": tensor.Float32, "float64": tensor.Float64}

// config returns the training configuration of s.
func config(s *run.Settings) (train.Config, error) {
	dt, ok := dtypes[s.DType]
	if !ok {
		return train.Config{}, fmt.Errorf("dtype: want float32 or float64, got %q", s.DType)
	}
	c := train.Config{Epochs: s.Epochs, Batch: s.Batch, Optimizer: train.DefaultOptimizer(s.LR), Seed: s.Seed, DType: dt, MicroBatches: s.MicroBatches}
	if s.Init == "fluctuation" {
		c.Fluctuation = &train.Fluctuation{Xi: s.InitXi, RecurrentShare: s.InitRecurrentShare, Samples: s.InitSamples}
	}
	return c, nil
}

// checkOut refuses an out that cannot hold run folders (a file, or a path
// below one) before the data are loaded; a missing out is made later.
func checkOut(out string) error {
	fi, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("out: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("out: %s is not a folder", out)
	}
	return nil
}

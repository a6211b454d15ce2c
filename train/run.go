package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
)

// Config sets a training run.
type Config struct {
	Epochs int
	Batch  int
	LR     float64 // Adam learning rate
	Seed   uint64  // weight initialisation and minibatch order
	DType  tensor.Dtype

	// Init, if set, are the starting weights (copied); otherwise they are
	// drawn from the spec with Seed, and rescaled by FluctuationInit on the
	// training data when Fluctuation is set.
	Init        *models.Weights
	Fluctuation *Fluctuation

	// OnEpoch, if set, is called after every epoch with the current weights
	// (live: copy what you keep) and whether they are the best so far on
	// validation. An error stops training.
	OnEpoch func(e Epoch, current *models.Weights, best bool) error
	// OnBatch, if set, is called after every training batch.
	OnBatch func(done, total int)
}

// DefaultConfig is the paper's randman setting: batch 250, Adam lr 5e-3,
// float32.
func DefaultConfig() Config {
	return Config{Epochs: 40, Batch: 250, LR: 5e-3, Seed: 1, DType: tensor.Float32}
}

// Epoch records one epoch.
type Epoch struct {
	Epoch      int           `json:"epoch"` // from 1
	Train      Metrics       `json:"train"`
	Validation Metrics       `json:"validation"`
	Duration   time.Duration `json:"duration_ns"`
}

// Result is the outcome of a run.
type Result struct {
	History   []Epoch
	BestEpoch int             // epoch whose weights did best on validation
	Weights   *models.Weights // those weights
	Test      Metrics         // test metrics of those weights
	// TestActivity is the hidden-layer activity of those weights on the
	// test split, measured in the same pass.
	TestActivity []SpikeStats
}

func (c Config) validate(d *datasets.Data) error {
	switch {
	case c.Epochs < 1:
		return fmt.Errorf("train: epochs must be ≥ 1, got %d", c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("train: batch must be ≥ 1, got %d", c.Batch)
	case c.DType != tensor.Float32 && c.DType != tensor.Float64:
		return fmt.Errorf("train: dtype must be float32 or float64, got %v", c.DType)
	}
	if err := d.Validate(); err != nil {
		return err
	}
	for _, s := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		if s.Len() == 0 {
			return fmt.Errorf("train: %s split of %s is empty", s.Name, d.Name)
		}
	}
	if c.Batch > d.Train.Len() {
		return fmt.Errorf("train: batch %d is larger than the training split of %s (%d samples)", c.Batch, d.Name, d.Train.Len())
	}
	return nil
}

// Run trains spec on d. It stops early, with the best weights so far in
// the result, when ctx is cancelled.
func Run(ctx context.Context, spec models.Spec, d *datasets.Data, c Config) (*Result, error) {
	if err := c.validate(d); err != nil {
		return nil, err
	}
	if d.Train.Units != spec.Inputs || d.Train.Classes != spec.Outputs || d.Train.Steps != spec.Steps {
		return nil, fmt.Errorf("train: data set %s has %d inputs, %d classes and %d steps; the network expects %d, %d and %d",
			d.Name, d.Train.Units, d.Train.Classes, d.Train.Steps, spec.Inputs, spec.Outputs, spec.Steps)
	}
	w, err := initial(spec, d, c)
	if err != nil {
		return nil, err
	}
	s, err := NewSession(spec, c.Batch, w, c.LR)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	res := &Result{Weights: w.Clone()}
	bestAcc := -1.0
	rng := rand.New(rand.NewPCG(c.Seed, 0xba7c))
	for e := 1; e <= c.Epochs && ctx.Err() == nil; e++ {
		ep, err := epoch(ctx, s, d, rng, c)
		if err != nil {
			return res, fmt.Errorf("epoch %d: %w", e, err)
		}
		ep.Epoch = e
		res.History = append(res.History, ep)
		best := ep.Validation.Accuracy > bestAcc
		if best {
			bestAcc, res.BestEpoch, res.Weights = ep.Validation.Accuracy, e, w.Clone()
		}
		if c.OnEpoch != nil {
			if err := c.OnEpoch(ep, w, best); err != nil {
				return res, err
			}
		}
	}
	if err := loadWeights(s.Weights, res.Weights); err != nil {
		return res, err
	}
	if res.Test, res.TestActivity, err = s.Measure(d.Test, nil); err != nil {
		return res, err
	}
	return res, ctx.Err()
}

// Fluctuation sets the data-aware initialisation (see FluctuationInit).
type Fluctuation struct {
	Xi             float64 // threshold distance in standard deviations of U
	RecurrentShare float64 // share of the variance from recurrent input
	Samples        int     // training samples measured
}

func initial(spec models.Spec, d *datasets.Data, c Config) (*models.Weights, error) {
	if c.Init != nil {
		return c.Init.Clone(), nil
	}
	w, err := spec.Init(c.Seed, c.DType)
	if err != nil || c.Fluctuation == nil {
		return w, err
	}
	f := c.Fluctuation
	return w, FluctuationInit(spec, w, d.Train, f.Xi, f.RecurrentShare, f.Samples, c.Seed)
}

// epoch trains once over a shuffled training split, then validates.
func epoch(ctx context.Context, s *Session, d *datasets.Data, rng *rand.Rand, c Config) (Epoch, error) {
	start := time.Now()
	perm := rng.Perm(d.Train.Len())
	var ep Epoch
	total := (len(perm) + c.Batch - 1) / c.Batch
	for b := 0; b < total; b++ {
		if ctx.Err() != nil {
			return ep, ctx.Err()
		}
		m, err := s.Step(d.Train, perm[b*c.Batch:min((b+1)*c.Batch, len(perm))])
		if err != nil {
			return ep, err
		}
		ep.Train.merge(m)
		if c.OnBatch != nil {
			c.OnBatch(b+1, total)
		}
	}
	ep.Train = ep.Train.done()
	var err error
	if ep.Validation, err = s.Evaluate(d.Validation); err != nil {
		return ep, err
	}
	ep.Duration = time.Since(start)
	return ep, nil
}

// loadWeights copies src's values into dst, which the graph shares.
func loadWeights(dst, src *models.Weights) error {
	a, b := dst.All(), src.All()
	if len(a) != len(b) {
		return fmt.Errorf("train: weight count mismatch: %d and %d", len(a), len(b))
	}
	for i := range a {
		if err := tensor.Copy(a[i], b[i]); err != nil {
			return fmt.Errorf("train: load weights: %w", err)
		}
	}
	return nil
}

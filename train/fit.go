package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Config sets a training run.
type Config struct {
	Epochs    int // in all, counting those a resumed run has done
	Batch     int
	Optimizer Optimizer
	Seed      uint64 // weight initialisation and minibatch order
	DType     tensor.Dtype

	// Init, if set, are the starting weights (copied); otherwise they are
	// drawn from the spec with Seed, and rescaled by FluctuationInit on the
	// training data when Fluctuation is set.
	Init        *models.Weights
	Fluctuation *Fluctuation

	// Resume, if set, continues a run from the state it had after
	// Resume.Epoch epochs, with Init holding the weights it had then: the
	// result is the one the run would have reached without the pause, bit
	// for bit, on any number of threads.
	// Only Adam's state can be resumed.
	Resume *State

	// Loss, if set, is the loss to descend instead of the default (see
	// Loss); the divergence rule then watches it (see Divergence).
	Loss Loss

	// MicroBatches is the number of parts every batch is split into, in
	// consecutive runs of samples whose sizes differ by at most one: each
	// part has a training program of its own, and their gradients,
	// weighted by their sizes, are added in part order. The parts run at
	// once on the cores there are, so the numbers of a run depend on
	// MicroBatches and never on the cores; more parts can use more cores,
	// at a cost per program. 0 means DefaultMicroBatches; a batch smaller
	// than MicroBatches has one part per sample.
	MicroBatches int

	// Cores bounds the cores the parts' programs use at once (0:
	// GOMAXPROCS). It changes the speed, never the numbers.
	Cores int

	// Divergence is the rule that stops a run that blows up (see
	// Divergence); the zero value is the default rule.
	Divergence Divergence

	// OnEpoch, if set, is called after every epoch. An error stops
	// training.
	OnEpoch func(p Progress) error
	// OnBatch, if set, is called after every training batch.
	OnBatch func(done, total int)
}

// DefaultConfig is the paper's randman setting: batch 250, Adam lr 5e-3,
// float32.
func DefaultConfig() Config {
	return Config{Epochs: 40, Batch: 250, Optimizer: DefaultOptimizer(5e-3), Seed: 1, DType: tensor.Float32}
}

// Progress is what OnEpoch sees after an epoch.
type Progress struct {
	Epoch   metrics.Epoch
	Weights *models.Weights // current weights, live: copy what you keep
	Best    bool            // best on validation so far
	// State returns the state to continue the run from here with a copy
	// of Weights (see Config.Resume). Call it within OnEpoch.
	State func() (*State, error)
}

// State is what a run needs, besides its weights, to continue exactly
// where it stopped.
type State struct {
	Epoch     int             // epochs completed
	History   []metrics.Epoch // one per completed epoch
	BestEpoch int             // epoch whose weights did best on validation so far
	Best      *models.Weights // the weights of BestEpoch
	// Order is the state of the generator that shuffles the training split
	// every epoch (math/rand/v2's PCG, in its binary form); empty, the
	// generator starts as in a fresh run.
	Order  []byte
	Solver SolverState
	// Watch holds the references of the divergence rule.
	Watch Watch
}

// Result is the outcome of a run.
type Result struct {
	History   []metrics.Epoch
	BestEpoch int             // epoch whose weights did best on validation
	Weights   *models.Weights // those weights
	Test      metrics.Metrics // test metrics of those weights
	// TestActivity is the hidden-layer activity of those weights on the
	// test split, measured in the same pass.
	TestActivity []metrics.SpikeStats
	// FinalTest and FinalActivity are the same of the weights at the end
	// of training: the network as trained, which is what a figure of its
	// activity shows (a regulariser's effect is that of the whole run,
	// and for a run that never learns the best epoch is an arbitrary
	// early one).
	FinalTest     metrics.Metrics
	FinalActivity []metrics.SpikeStats
}

func (c Config) validate(d *datasets.Data) error {
	switch {
	case c.Epochs < 1:
		return fmt.Errorf("train: epochs must be ≥ 1, got %d", c.Epochs)
	case c.Batch < 1:
		return fmt.Errorf("train: batch must be ≥ 1, got %d", c.Batch)
	case c.DType != tensor.Float32 && c.DType != tensor.Float64:
		return fmt.Errorf("train: dtype must be float32 or float64, got %v", c.DType)
	case c.Resume != nil && c.Init == nil:
		return errors.New("train: resuming needs the weights saved with the state (Config.Init)")
	case c.MicroBatches < 0:
		return fmt.Errorf("train: micro-batches must be ≥ 1 (0: %d), got %d", DefaultMicroBatches, c.MicroBatches)
	case c.Cores < 0:
		return fmt.Errorf("train: cores must be ≥ 0 (0: all), got %d", c.Cores)
	case c.Resume != nil && c.Resume.Epoch > c.Epochs:
		return fmt.Errorf("train: the run to resume has done %d epochs, more than the %d asked for", c.Resume.Epoch, c.Epochs)
	}
	if err := c.Optimizer.validate(); err != nil {
		return err
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

// Fit trains spec on d. It stops early, with the best weights so far in
// the result, when ctx is cancelled.
func Fit(ctx context.Context, spec network.Spec, d *datasets.Data, c Config) (*Result, error) {
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
	tr, err := newTrainer(spec, c.Batch, w, c.Optimizer, trainerOptions{loss: c.Loss, microBatches: c.microBatches(), cores: c.Cores})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	ev, err := tr.Evaluator()
	if err != nil {
		return nil, err
	}
	defer ev.Close()
	l := &loop{c: c, d: d, tr: tr, ev: ev, res: &Result{Weights: w.Clone()}, bestAcc: -1,
		order: rand.NewPCG(c.Seed, 0xba7c)}
	var from *Watch
	if c.Resume != nil {
		from = &c.Resume.Watch
	}
	// The rate is known only when Adam steps at a fixed one: a solver of
	// the caller's own, or a schedule, sets its own.
	lr := c.Optimizer.Adam.LR
	if c.Optimizer.Solver != nil || c.Optimizer.Schedule != nil {
		lr = 0
	}
	// The cross-entropy's starting value is at least that of guessing; a
	// loss of the caller's own has no such floor.
	floor := math.Log(float64(max(spec.Outputs, 2)))
	if c.Loss != nil {
		floor = 0
	}
	l.watch = newWatcher(c.Divergence, floor, lr, w, from)
	if c.Resume != nil {
		if err := l.resume(c.Resume); err != nil {
			return nil, err
		}
	}
	for e := len(l.res.History) + 1; e <= c.Epochs && ctx.Err() == nil; e++ {
		if err := l.epoch(ctx, e); err != nil {
			return l.res, fmt.Errorf("epoch %d: %w", e, err)
		}
	}
	// The final weights first, while the trainer holds them; when the
	// best epoch is the last they are the best weights, and one pass
	// measures both.
	bestIsLast := l.res.BestEpoch == len(l.res.History)
	if !bestIsLast {
		if l.res.FinalTest, l.res.FinalActivity, err = ev.Measure(d.Test, nil); err != nil {
			return l.res, err
		}
	}
	if err := loadWeights(w, l.res.Weights); err != nil {
		return l.res, err
	}
	if l.res.Test, l.res.TestActivity, err = ev.Measure(d.Test, nil); err != nil {
		return l.res, err
	}
	if bestIsLast {
		l.res.FinalTest, l.res.FinalActivity = l.res.Test, l.res.TestActivity
	}
	return l.res, ctx.Err()
}

// micro-batches returns the micro-batches the run trains with.
func (c Config) microBatches() int {
	if c.MicroBatches > 0 {
		return c.MicroBatches
	}
	return DefaultMicroBatches
}

// loop is the state of Fit between epochs.
type loop struct {
	c       Config
	d       *datasets.Data
	tr      *Trainer
	ev      *Evaluator
	res     *Result
	bestAcc float64
	order   *rand.PCG // shuffles the training split
	watch   *watcher  // the divergence rule
}

// resume takes up st.
func (l *loop) resume(st *State) error {
	if len(st.History) != st.Epoch || st.BestEpoch < 0 || st.BestEpoch > st.Epoch || (st.BestEpoch > 0) != (st.Best != nil) {
		return fmt.Errorf("train: inconsistent state to resume: %d epochs, %d in the history, best epoch %d", st.Epoch, len(st.History), st.BestEpoch)
	}
	// Without an order the minibatches are drawn as in a fresh run.
	if len(st.Order) > 0 {
		if err := l.order.UnmarshalBinary(st.Order); err != nil {
			return fmt.Errorf("train: state to resume: minibatch order: %w", err)
		}
	}
	if err := l.tr.SetSolverState(st.Solver); err != nil {
		return err
	}
	l.res.History = append([]metrics.Epoch(nil), st.History...)
	if st.BestEpoch > 0 {
		if err := loadWeights(l.res.Weights, st.Best); err != nil {
			return fmt.Errorf("train: state to resume: best weights: %w", err)
		}
		l.res.BestEpoch, l.bestAcc = st.BestEpoch, st.History[st.BestEpoch-1].Validation.Accuracy
	}
	return nil
}

// state returns the state after the epochs so far, with copies.
func (l *loop) state() (*State, error) {
	order, err := l.order.MarshalBinary()
	if err != nil {
		return nil, err
	}
	solver, err := l.tr.SolverState()
	if err != nil {
		return nil, err
	}
	st := &State{Epoch: len(l.res.History), History: append([]metrics.Epoch(nil), l.res.History...),
		BestEpoch: l.res.BestEpoch, Order: order, Solver: solver,
		Watch: Watch{FirstLoss: l.watch.w.FirstLoss, WeightScale: append([]float64(nil), l.watch.w.WeightScale...)}}
	if st.BestEpoch > 0 {
		st.Best = l.res.Weights.Clone()
	}
	return st, nil
}

// epoch trains once over a shuffled training split, validates, and
// reports.
func (l *loop) epoch(ctx context.Context, e int) error {
	start := time.Now()
	c, train := l.c, l.d.Train
	perm := rand.New(l.order).Perm(train.Len())
	ep := metrics.Epoch{Epoch: e}
	total := (len(perm) + c.Batch - 1) / c.Batch
	for b := 0; b < total; b++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		m, err := l.tr.Step(train, perm[b*c.Batch:min((b+1)*c.Batch, len(perm))])
		if err != nil {
			return err
		}
		loss := m.Loss
		if c.Loss != nil {
			loss = l.tr.Loss()
		}
		if err := l.watch.check(loss, l.tr.Weights); err != nil {
			return fmt.Errorf("batch %d of %d: %w", b+1, total, err)
		}
		ep.Train.Merge(m)
		if c.OnBatch != nil {
			c.OnBatch(b+1, total)
		}
	}
	ep.Train = ep.Train.Done()
	var err error
	if ep.Validation, err = l.ev.Evaluate(l.d.Validation); err != nil {
		return err
	}
	ep.Duration = time.Since(start)
	l.res.History = append(l.res.History, ep)
	best := ep.Validation.Accuracy > l.bestAcc
	if best {
		l.bestAcc, l.res.BestEpoch, l.res.Weights = ep.Validation.Accuracy, e, l.tr.Weights.Clone()
	}
	if c.OnEpoch == nil {
		return nil
	}
	return c.OnEpoch(Progress{Epoch: ep, Weights: l.tr.Weights, Best: best, State: l.state})
}

// Fluctuation sets the data-aware initialisation (see FluctuationInit).
type Fluctuation struct {
	Xi             float64 // threshold distance in standard deviations of U
	RecurrentShare float64 // share of the variance from recurrent input
	Samples        int     // training samples measured
	// Progress, if set, is called after each hidden layer is set, with
	// the layer (from 1), the number of layers and the time since the
	// initialisation began: it runs before epoch 1 and can take longer
	// than several epochs.
	Progress func(layer, layers int, took time.Duration)
}

// initial returns the starting weights: a copy of c.Init, or weights drawn
// from the spec and, with c.Fluctuation, rescaled on the training data.
func initial(spec network.Spec, d *datasets.Data, c Config) (*models.Weights, error) {
	if c.Init != nil {
		return c.Init.Clone(), nil
	}
	w, err := models.Init(spec, c.Seed, c.DType)
	if err != nil || c.Fluctuation == nil {
		return w, err
	}
	f := c.Fluctuation
	return w, fluctuationInit(spec, w, d.Train, f.Xi, f.RecurrentShare, f.Samples, c.Seed, f.Progress)
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

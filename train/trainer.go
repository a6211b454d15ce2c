package train

import (
	"errors"
	"fmt"
	"math"
	"runtime"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Trainer is a model compiled for training on batches of a fixed size:
// the forward pass, backpropagation through time and the solver's update
// of the weights, which it changes in place.
type Trainer struct {
	Spec    network.Spec
	Batch   int
	Weights *models.Weights // the tensors the graphs' weight nodes share

	solver   G.Solver
	schedule Schedule
	steps    int           // optimisation steps taken
	parts    []*microBatch // the training programs, each for part of a batch
	workers  int           // micro-batches run at once
	ran      int           // micro-batches that ran in the last Backward; 0 after Update
	tally    tally
	loss     float64 // of the last Backward
}

// Loss returns the loss of the last Backward: the mean over its samples of
// the loss the Trainer descends (its metrics' Loss is the cross-entropy,
// whatever the loss).
func (t *Trainer) Loss() float64 { return t.loss }

// NewTrainer compiles spec for batches of batch samples, training w with
// the solver opt chooses, on the default loss (LossInputs.Default) unless
// WithLoss gives another. The batch is split into DefaultMicroBatches
// micro-batches (see Config.MicroBatches) unless WithMicroBatches says how
// many, run on every core unless WithCores says how many.
func NewTrainer(spec network.Spec, batch int, w *models.Weights, opt Optimizer, opts ...TrainerOption) (*Trainer, error) {
	o := trainerOptions{microBatches: DefaultMicroBatches}
	for _, f := range opts {
		f(&o)
	}
	return newTrainer(spec, batch, w, opt, o)
}

// A TrainerOption changes what NewTrainer compiles.
type TrainerOption func(*trainerOptions)

type trainerOptions struct {
	loss         Loss
	microBatches int
	cores        int
}

// WithLoss makes the Trainer descend the loss that l builds in each of its
// programs instead of the default.
func WithLoss(l Loss) TrainerOption { return func(o *trainerOptions) { o.loss = l } }

// WithMicroBatches splits each batch into n micro-batches (see
// Config.MicroBatches); a batch smaller than n is split into as many
// micro-batches as it has samples.
func WithMicroBatches(n int) TrainerOption { return func(o *trainerOptions) { o.microBatches = n } }

// WithCores runs the micro-batches on at most n cores at once (0: GOMAXPROCS);
// it changes the speed of a step, never its numbers.
func WithCores(n int) TrainerOption { return func(o *trainerOptions) { o.cores = n } }

// newTrainer is NewTrainer with its options.
func newTrainer(spec network.Spec, batch int, w *models.Weights, opt Optimizer, o trainerOptions) (*Trainer, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if batch < 1 {
		return nil, fmt.Errorf("train: batch must be ≥ 1, got %d", batch)
	}
	if o.microBatches < 1 {
		return nil, fmt.Errorf("train: micro-batches must be ≥ 1, got %d", o.microBatches)
	}
	if o.cores < 0 {
		return nil, fmt.Errorf("train: cores must be ≥ 0, got %d", o.cores)
	}
	t := &Trainer{Spec: spec, Batch: batch, Weights: w, solver: opt.solver(), schedule: opt.Schedule}
	sizes := microBatchSizes(batch, min(o.microBatches, batch))
	var threads int
	t.workers, threads = layout(len(sizes), o.cores)
	// The programs are built and compiled at once, on the cores the
	// micro-batches will run on.
	t.parts = make([]*microBatch, len(sizes))
	errs := each(len(sizes), t.workers, func(k int) error {
		var err error
		t.parts[k], err = newMicroBatch(spec, sizes[k], w, threads, o.loss)
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// Close releases the machines and the memory of their values. It drops
// them and collects garbage at once: a process that builds one trainer
// after another (a sweep, a benchmark) then holds one trainer's buffers at
// a time, where the collector's pacing would otherwise let the next grow
// beside the last's. An Evaluator made from t keeps what it shares with t
// until its own Close. A closed Trainer refuses to run.
func (t *Trainer) Close() {
	if t.parts == nil {
		return
	}
	for _, r := range t.parts {
		if r != nil {
			r.m.Close()
		}
	}
	t.parts, t.ran = nil, 0
	runtime.GC()
}

// errClosed is what a closed Trainer or Evaluator answers.
var errClosed = errors.New("train: used after Close: the trainer or evaluator is closed")

// MicroBatches returns the number of parts each batch is split into.
func (t *Trainer) MicroBatches() int { return len(t.parts) }

// Steps returns the number of optimisation steps taken.
func (t *Trainer) Steps() int { return t.steps }

// Step trains on the samples idx of split (at most the batch size) and
// returns their metrics as measured in the forward pass: Backward, then
// Update.
func (t *Trainer) Step(split *datasets.Split, idx []int) (metrics.Metrics, error) {
	m, err := t.Backward(split, idx)
	if err != nil {
		return m, err
	}
	return m, t.Update()
}

// Backward runs the forward pass and backpropagation through time on the
// samples idx of split and leaves the gradient of their mean loss in Grads,
// for Update. It returns the samples' metrics. A Backward that Update did
// not follow is discarded.
func (t *Trainer) Backward(split *datasets.Split, idx []int) (metrics.Metrics, error) {
	if t.parts == nil {
		return metrics.Metrics{}, errClosed
	}
	if len(idx) > t.Batch {
		return metrics.Metrics{}, fmt.Errorf("train: %d samples for a batch of %d", len(idx), t.Batch)
	}
	if t.ran > 0 {
		t.discard()
	}
	// The micro-batches take consecutive parts of idx; one without samples
	// does not run.
	parts := make([][]int, 0, len(t.parts))
	rest := idx
	for _, r := range t.parts {
		n := min(r.model.Batch, len(rest))
		if n == 0 && len(parts) > 0 {
			break
		}
		parts, rest = append(parts, rest[:n]), rest[n:]
	}
	t.ran = len(parts)
	errs := each(len(parts), t.workers, func(k int) error { return t.parts[k].run(split, parts[k]) })
	if err := errors.Join(errs...); err != nil {
		t.discard()
		return metrics.Metrics{}, err
	}
	var m metrics.Metrics
	sum := 0.0
	for k, part := range parts {
		r := t.parts[k]
		loss := floats(r.loss.Value(), nil)[0]
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			t.discard()
			return metrics.Metrics{}, fmt.Errorf("train: loss is %v: training diverged (try a smaller learning rate)", loss)
		}
		t.tally.add(&m, r.model, split, part)
		sum += loss * float64(len(part))
	}
	t.loss = sum / float64(len(idx))
	if err := t.combineGrads(parts); err != nil {
		t.discard()
		return metrics.Metrics{}, err
	}
	return m.Done(), nil
}

// Grads returns the gradient that Backward left, one tensor per weight
// matrix in models.Weights.All order. The tensors are live: a caller may
// read them, or change them (to clip, say) before Update.
func (t *Trainer) Grads() ([]*tensor.Dense, error) {
	if t.ran == 0 {
		return nil, errors.New("train: no gradient: call Backward first")
	}
	var out []*tensor.Dense
	for _, n := range t.parts[0].learn {
		g, err := n.Grad()
		if err != nil {
			return nil, fmt.Errorf("train: gradient of %v: %w", n, err)
		}
		d, ok := g.(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("train: gradient of %v is a %T", n, g)
		}
		out = append(out, d)
	}
	return out, nil
}

// Update applies the solver to the gradient of the last Backward.
func (t *Trainer) Update() error {
	if t.ran == 0 {
		return errors.New("train: nothing to update: call Backward first")
	}
	defer t.discard()
	if t.schedule != nil {
		lr := t.schedule(t.steps + 1)
		if !(lr > 0) || math.IsInf(lr, 0) {
			return fmt.Errorf("train: the schedule gives learning rate %g for step %d, want a positive number", lr, t.steps+1)
		}
		G.WithLearnRate(lr)(t.solver)
	}
	if err := t.solver.Step(G.NodesToValueGrads(t.parts[0].learn)); err != nil {
		return fmt.Errorf("train: solver step: %w", err)
	}
	t.steps++
	// A NaN can hide from the loss (a maximum over time skips it), but not
	// from the weights it reaches.
	if name, ok := finiteWeights(t.Weights); !ok {
		return fmt.Errorf("train: weight %s is no longer finite: training diverged (try a smaller learning rate)", name)
	}
	return nil
}

// rewind readies the machines of the last Backward for the next.
func (t *Trainer) rewind() {
	for _, r := range t.parts[:t.ran] {
		r.m.Reset()
	}
	t.ran = 0
}

// discard drops the gradients of the last Backward, which the machines
// would otherwise add to, and readies the machines for the next.
func (t *Trainer) discard() {
	for _, r := range t.parts[:t.ran] {
		for _, n := range r.learn {
			zeroGrad(n) // a node without a gradient yet has none to drop
		}
	}
	t.rewind()
}

func zeroGrad(n *G.Node) error {
	g, err := n.Grad()
	if err != nil {
		return fmt.Errorf("train: gradient of %v: %w", n, err)
	}
	if z, ok := g.(G.Zeroer); ok {
		z.Zero()
	}
	return nil
}

// finiteWeights reports the first weight matrix holding a NaN or Inf.
func finiteWeights(w *models.Weights) (string, bool) {
	names := w.Names()
	for i, m := range w.All() {
		switch d := m.Data().(type) {
		case []float64:
			if !allFinite(d) {
				return names[i], false
			}
		case []float32:
			if !allFinite(d) {
				return names[i], false
			}
		}
	}
	return "", true
}

func allFinite[T float32 | float64](xs []T) bool {
	for _, x := range xs {
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

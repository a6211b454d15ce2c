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
	steps    int        // optimisation steps taken
	replicas []*replica // the training programs, each for part of a batch
	ran      int        // replicas that ran in the last Backward; 0 after Update
	tally    tally
	loss     float64 // of the last Backward
}

// Loss returns the loss of the last Backward: the mean over its samples of
// the loss the Trainer descends (its metrics' Loss is the cross-entropy,
// whatever the loss).
func (t *Trainer) Loss() float64 { return t.loss }

// NewTrainer compiles spec for batches of batch samples, training w with
// the solver opt chooses, on the default loss (LossInputs.Default) unless
// WithLoss gives another. The batch is split between DefaultReplicas
// replicas, one per core (see the package doc), unless WithReplicas says
// how many.
func NewTrainer(spec network.Spec, batch int, w *models.Weights, opt Optimizer, opts ...TrainerOption) (*Trainer, error) {
	o := trainerOptions{replicas: DefaultReplicas(batch)}
	for _, f := range opts {
		f(&o)
	}
	return newTrainer(spec, batch, w, opt, o)
}

// A TrainerOption changes what NewTrainer compiles.
type TrainerOption func(*trainerOptions)

type trainerOptions struct {
	loss     Loss
	replicas int
}

// WithLoss makes the Trainer descend the loss that l builds in each of its
// programs instead of the default.
func WithLoss(l Loss) TrainerOption { return func(o *trainerOptions) { o.loss = l } }

// WithReplicas splits each batch between n programs (see Config.Replicas).
func WithReplicas(n int) TrainerOption { return func(o *trainerOptions) { o.replicas = n } }

// DefaultReplicas is the number of replicas a batch is split between on
// this machine: two, one per core, with two or more cores (GOMAXPROCS),
// otherwise one program whose kernels use every core.
func DefaultReplicas(batch int) int {
	if runtime.GOMAXPROCS(0) >= 2 && batch >= 2 {
		return 2
	}
	return 1
}

// newTrainer is NewTrainer with its options. The batch is split between
// the replicas in consecutive parts whose sizes differ by at most one, the
// larger first.
func newTrainer(spec network.Spec, batch int, w *models.Weights, opt Optimizer, o trainerOptions) (*Trainer, error) {
	n := o.replicas
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if batch < 1 {
		return nil, fmt.Errorf("train: batch must be ≥ 1, got %d", batch)
	}
	if n < 1 || n > batch {
		return nil, fmt.Errorf("train: %d replicas for a batch of %d", n, batch)
	}
	t := &Trainer{Spec: spec, Batch: batch, Weights: w, solver: opt.solver(), schedule: opt.Schedule}
	sizes := make([]int, n)
	for k := range sizes {
		sizes[k] = (batch + n - 1 - k) / n
	}
	threads := 0 // one program: its kernels use every core
	if len(sizes) > 1 {
		threads = 1 // a replica per core: its kernels stay there
	}
	for _, b := range sizes {
		r, err := newReplica(spec, b, w, threads, o.loss)
		if err != nil {
			t.Close()
			return nil, err
		}
		t.replicas = append(t.replicas, r)
	}
	return t, nil
}

// Close releases the machines.
func (t *Trainer) Close() {
	for _, r := range t.replicas {
		r.m.Close()
	}
}

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
	if len(idx) > t.Batch {
		return metrics.Metrics{}, fmt.Errorf("train: %d samples for a batch of %d", len(idx), t.Batch)
	}
	if t.ran > 0 {
		t.discard()
	}
	// The replicas take consecutive parts of idx; one without samples
	// does not run.
	parts := make([][]int, 0, len(t.replicas))
	rest := idx
	for _, r := range t.replicas {
		n := min(r.model.Batch, len(rest))
		if n == 0 && len(parts) > 0 {
			break
		}
		parts, rest = append(parts, rest[:n]), rest[n:]
	}
	t.ran = len(parts)
	errs := parallel(len(parts), func(k int) error { return t.replicas[k].run(split, parts[k]) })
	if err := errors.Join(errs...); err != nil {
		t.discard()
		return metrics.Metrics{}, err
	}
	var m metrics.Metrics
	sum := 0.0
	for k, part := range parts {
		r := t.replicas[k]
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
	for _, n := range t.replicas[0].learn {
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
	if err := t.solver.Step(G.NodesToValueGrads(t.replicas[0].learn)); err != nil {
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
	for _, r := range t.replicas[:t.ran] {
		r.m.Reset()
	}
	t.ran = 0
}

// discard drops the gradients of the last Backward, which the machines
// would otherwise add to, and readies the machines for the next.
func (t *Trainer) discard() {
	for _, r := range t.replicas[:t.ran] {
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

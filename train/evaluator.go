package train

import (
	"errors"
	"fmt"
	"runtime"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Evaluator is a model compiled for inference on batches of a fixed size:
// logits and spike counts, and on request every step's state (Snapshots).
// It compiles no gradient work and needs no solver. A batch may be split
// into parts, each a program of its own that runs on its own cores (the
// Trainer's micro-batches, see Trainer.Evaluator); a sample's outputs do
// not depend on the split.
type Evaluator struct {
	// Model is the network of the first part: the whole batch for an
	// Evaluator of NewEvaluator.
	Model   *models.Model
	Weights *models.Weights // the tensors the graphs' weight nodes share

	parts   []*evalPart
	batch   int  // samples of all parts
	workers int  // parts run at once
	trace   G.VM // compiled on first use by Snapshots
}

// evalPart is the program of one part of an evaluation batch.
type evalPart struct {
	model *models.Model
	m     G.VM
	feed  *Batcher
	tally tally
}

// NewEvaluator compiles spec for batches of batch samples with the weights
// w, which it reads as they are at each call: a Trainer sharing w is
// evaluated as it trains. Its kernels use every core.
func NewEvaluator(spec network.Spec, batch int, w *models.Weights) (*Evaluator, error) {
	m, err := models.New(spec, batch, w, models.Plain()) // no gradients: fewer edges to compile
	if err != nil {
		return nil, err
	}
	feed, err := bind(m, w)
	if err != nil {
		return nil, err
	}
	p, err := newEvalPart(m, feed)
	if err != nil {
		return nil, err
	}
	return &Evaluator{Model: m, Weights: w, parts: []*evalPart{p}, batch: batch, workers: 1}, nil
}

// newEvalPart compiles the forward program of m, fed by feed.
func newEvalPart(m *models.Model, feed *Batcher) (*evalPart, error) {
	observed := append(G.Nodes{m.Net.Out.Logits}, liveCounts(m)...)
	vm, err := machine(m.Graph, m.Learnables(), observed)
	if err != nil {
		return nil, err
	}
	return &evalPart{model: m, m: vm, feed: feed}, nil
}

// Evaluator returns an Evaluator that runs on the graphs of t's
// micro-batches, each part on its own cores as in training, with a
// forward program of its own: no graph is built for it. It shares t's
// batchers and node values, so it must not run while t does (between
// Backward and Update, or from another goroutine); Close releases its
// programs, not t's.
func (t *Trainer) Evaluator() (*Evaluator, error) {
	if t.parts == nil {
		return nil, errClosed
	}
	e := &Evaluator{Model: t.parts[0].model, Weights: t.Weights, workers: t.workers, parts: make([]*evalPart, len(t.parts))}
	errs := each(len(t.parts), t.workers, func(k int) error {
		var err error
		e.parts[k], err = newEvalPart(t.parts[k].model, t.parts[k].feed)
		return err
	})
	if err := errors.Join(errs...); err != nil {
		e.Close()
		return nil, err
	}
	for _, mb := range t.parts {
		e.batch += mb.model.Batch
	}
	return e, nil
}

// Close releases the programs and collects garbage at once (see
// Trainer.Close); Model stays readable, so what its graph holds goes
// with e itself. A closed Evaluator refuses to run.
func (e *Evaluator) Close() {
	if e.parts == nil {
		return
	}
	for _, p := range e.parts {
		if p != nil {
			p.m.Close()
		}
	}
	if e.trace != nil {
		e.trace.Close()
	}
	e.parts, e.trace = nil, nil
	runtime.GC()
}

// Output is what the network produced for one sample.
type Output struct {
	Index  int         // sample index in the split
	Logits []float64   // [classes]
	Counts [][]float64 // per hidden layer, spike count of every neuron
}

// Each runs every sample of split through the network and calls fn with
// its output, in order of the samples. The slices are reused: copy what
// you keep.
func (e *Evaluator) Each(split *datasets.Split, fn func(o Output)) error {
	if e.parts == nil {
		return errClosed
	}
	spec := e.Model.Spec
	C := spec.Outputs
	o := Output{Counts: make([][]float64, len(spec.Hidden))}
	parts := make([][]int, len(e.parts))
	for start := 0; start < split.Len(); start += e.batch {
		// Consecutive samples for the parts in order; one without
		// samples does not run.
		next, n := start, 0
		for k, p := range e.parts {
			end := min(next+p.model.Batch, split.Len())
			parts[k] = parts[k][:0]
			for i := next; i < end; i++ {
				parts[k] = append(parts[k], i)
			}
			if len(parts[k]) > 0 {
				n = k + 1
			}
			next = end
		}
		errs := each(n, e.workers, func(k int) error { return e.parts[k].run(split, parts[k]) })
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("train: evaluate %s: %w", split.Name, err)
		}
		for k, p := range e.parts[:n] {
			for row, i := range parts[k] {
				o.Index, o.Logits = i, p.tally.logits[row*C:(row+1)*C]
				for l := range o.Counts {
					o.Counts[l] = p.tally.row(p.model, l, row)
				}
				fn(o)
			}
		}
	}
	return nil
}

// run evaluates the samples idx of split and keeps the outputs in p.tally.
func (p *evalPart) run(split *datasets.Split, idx []int) error {
	if err := p.feed.Fill(split, idx); err != nil {
		return err
	}
	err := p.m.RunAll()
	if err == nil {
		p.tally.read(p.model)
	}
	p.m.Reset()
	return err
}

// Evaluate returns the metrics of the whole split.
func (e *Evaluator) Evaluate(split *datasets.Split) (metrics.Metrics, error) {
	m, _, err := e.Measure(split, nil)
	return m, err
}

// Activity returns the spike statistics of every hidden layer on split.
func (e *Evaluator) Activity(split *datasets.Split) ([]metrics.SpikeStats, error) {
	_, stats, err := e.Measure(split, nil)
	return stats, err
}

// Measure runs every sample of split once through the network and returns
// the metrics and the activity of every hidden layer; fn, if set, also
// sees each sample's output (its slices are reused).
func (e *Evaluator) Measure(split *datasets.Split, fn func(Output)) (metrics.Metrics, []metrics.SpikeStats, error) {
	spec := e.Model.Spec
	var m metrics.Metrics
	stats := make([]metrics.SpikeStats, len(spec.Hidden))
	for l, h := range spec.Hidden {
		stats[l] = metrics.SpikeStats{Neurons: h, NeuronMeans: make([]float64, h)}
	}
	err := e.Each(split, func(o Output) {
		m.Add(o.Logits, split.Samples[o.Index].Label, o.Counts)
		for l, c := range o.Counts {
			for i, v := range c {
				stats[l].NeuronMeans[i] += v
				stats[l].MaxCount = max(stats[l].MaxCount, v)
			}
		}
		if fn != nil {
			fn(o)
		}
	})
	if err != nil || split.Len() == 0 {
		return m.Done(), stats, err
	}
	window := float64(spec.Steps) * spec.DT / 1000 // seconds
	for l := range stats {
		stats[l].Finish(split.Len(), window)
	}
	return m.Done(), stats, nil
}

// tally reads the logits and spike counts of a model's batch after a run.
type tally struct {
	logits []float64
	counts [][]float64
}

// read copies model's logits and counts.
func (t *tally) read(model *models.Model) {
	t.logits = floats(model.Net.Out.Logits.Value(), t.logits)
	if len(t.counts) != len(model.Counts) {
		t.counts = make([][]float64, len(model.Counts))
	}
	for l, c := range model.Counts {
		if c != nil {
			t.counts[l] = floats(c.Value(), t.counts[l])
		}
	}
}

// row returns the spike counts of hidden layer l for batch row r, or nil
// for a layer silent by construction.
func (t *tally) row(model *models.Model, l, r int) []float64 {
	if model.Counts[l] == nil {
		return nil
	}
	H := model.Spec.Hidden[l]
	return t.counts[l][r*H : (r+1)*H]
}

// add reads model's outputs after a run and adds the real rows idx of
// split to m.
func (t *tally) add(m *metrics.Metrics, model *models.Model, split *datasets.Split, idx []int) {
	t.read(model)
	C := model.Spec.Outputs
	row := make([][]float64, len(model.Counts))
	for r, i := range idx {
		for l := range row {
			row[l] = t.row(model, l, r)
		}
		m.Add(t.logits[r*C:(r+1)*C], split.Samples[i].Label, row)
	}
}

// bind gives m's input and target nodes a batcher's tensors.
func bind(m *models.Model, w *models.Weights) (*Batcher, error) {
	spec := m.Spec
	feed, err := NewBatcher(spec.Steps, m.Batch, spec.Inputs, spec.Outputs, w.W[0].Dtype())
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if err := G.Let(m.Input, feed.seq); err != nil {
		return nil, fmt.Errorf("train: bind inputs: %w", err)
	}
	if err := G.Let(m.Targets, feed.targets); err != nil {
		return nil, fmt.Errorf("train: bind targets: %w", err)
	}
	return feed, nil
}

func liveCounts(m *models.Model) G.Nodes {
	var live G.Nodes
	for _, c := range m.Counts {
		if c != nil {
			live = append(live, c)
		}
	}
	return live
}

package train

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Evaluator is a model compiled for inference on batches of a fixed size:
// logits and spike counts, and on request every step's state (Snapshots).
// It compiles no gradient work and needs no solver.
type Evaluator struct {
	Model   *models.Model
	Weights *models.Weights // the tensors the graph's weight nodes share

	m     G.VM
	trace G.VM // compiled on first use by Snapshots
	feed  *Batcher
	tally tally
}

// NewEvaluator compiles spec for batches of batch samples with the weights
// w, which it reads as they are at each call: a Trainer sharing w is
// evaluated as it trains.
func NewEvaluator(spec network.Spec, batch int, w *models.Weights) (*Evaluator, error) {
	m, err := models.New(spec, batch, w, models.Plain()) // no gradients: fewer edges to compile
	if err != nil {
		return nil, err
	}
	e := &Evaluator{Model: m, Weights: w}
	if e.feed, err = bind(m, w); err != nil {
		return nil, err
	}
	observed := append(G.Nodes{m.Net.Out.Logits}, liveCounts(m)...)
	if e.m, err = machine(m.Graph, m.Learnables(), observed); err != nil {
		return nil, err
	}
	return e, nil
}

// Close releases the machines.
func (e *Evaluator) Close() {
	e.m.Close()
	if e.trace != nil {
		e.trace.Close()
	}
}

// Output is what the network produced for one sample.
type Output struct {
	Index  int         // sample index in the split
	Logits []float64   // [classes]
	Counts [][]float64 // per hidden layer, spike count of every neuron
}

// Each runs every sample of split through the network and calls fn with
// its output. The slices are reused: copy what you keep.
func (e *Evaluator) Each(split *datasets.Split, fn func(o Output)) error {
	model := e.Model
	C := model.Spec.Outputs
	o := Output{Counts: make([][]float64, len(model.Counts))}
	idx := make([]int, 0, model.Batch)
	for start := 0; start < split.Len(); start += model.Batch {
		idx = idx[:0]
		for i := start; i < min(start+model.Batch, split.Len()); i++ {
			idx = append(idx, i)
		}
		if err := e.feed.Fill(split, idx); err != nil {
			return err
		}
		if err := e.m.RunAll(); err != nil {
			e.m.Reset()
			return fmt.Errorf("train: evaluate %s: %w", split.Name, err)
		}
		e.tally.read(model)
		e.m.Reset()
		for row, i := range idx {
			o.Index, o.Logits = i, e.tally.logits[row*C:(row+1)*C]
			for l := range o.Counts {
				o.Counts[l] = e.tally.row(model, l, row)
			}
			fn(o)
		}
	}
	return nil
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
	for n, in := range m.Inputs {
		if err := G.Let(in, feed.inputs[n]); err != nil {
			return nil, fmt.Errorf("train: bind input %d: %w", n, err)
		}
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

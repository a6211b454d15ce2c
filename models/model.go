package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/loss"
)

// Model is a network unrolled for a fixed batch size in its own graph, with
// the loss attached.
type Model struct {
	Spec  Spec
	Batch int
	Graph *G.ExprGraph

	Inputs  []*G.Node // T nodes of [batch, inputs]
	Targets *G.Node   // [batch, outputs]: one-hot rows, zero rows for padding
	W, V    []*G.Node // weight nodes bound to the Weights' tensors

	Net    *graph.Net
	Counts []*G.Node // per hidden layer, [batch, units] spike counts; nil if silent by construction
	// CrossEntropy is the supervised loss, the mean over the real samples;
	// Loss adds the activity regularisers to it.
	CrossEntropy *G.Node
	Loss         *G.Node
}

// Option changes how New builds a model.
type Option func(*options)

type options struct{ threads int }

// Threads bounds the goroutines the kernels of the model's graph use (see
// ops.SetThreads); 0, the default, means GOMAXPROCS.
func Threads(n int) Option { return func(o *options) { o.threads = n } }

// New builds the graph of s for batch samples at a time. The weight nodes
// share w's tensors: an optimiser that updates the nodes updates w.
func New(s Spec, batch int, w *Weights, opts ...Option) (*Model, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if batch <= 0 {
		return nil, fmt.Errorf("model: batch must be ≥ 1, got %d", batch)
	}
	if err := checkWeights(s, w); err != nil {
		return nil, err
	}
	dt := w.W[0].Dtype()
	m := &Model{Spec: s, Batch: batch, Graph: G.NewGraph()}
	if err := ops.SetThreads(m.Graph, o.threads); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	for n := 0; n < s.Steps; n++ {
		m.Inputs = append(m.Inputs, G.NewMatrix(m.Graph, dt, G.WithShape(batch, s.Inputs), G.WithName(fmt.Sprintf("input_%d", n))))
	}
	m.Targets = G.NewMatrix(m.Graph, dt, G.WithShape(batch, s.Outputs), G.WithName("targets"))
	names := w.Names()
	for i, t := range w.W {
		m.W = append(m.W, G.NodeFromAny(m.Graph, t, G.WithName(names[i])))
	}
	for i, t := range w.V {
		m.V = append(m.V, G.NodeFromAny(m.Graph, t, G.WithName(names[len(w.W)+i])))
	}
	// The loss reads the readout (and the spike counts), so the fused
	// backward pass of graph.LIFConfig applies.
	cfg := Config(s)
	cfg.LIF.Fused = true
	net, err := graph.Build(m.Inputs, graph.Weights{W: m.W, V: m.V}, cfg)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m.Net = net
	for _, l := range net.Hidden {
		m.Counts = append(m.Counts, l.Count)
	}
	if m.CrossEntropy, err = loss.SoftmaxCrossEntropy(net.Out.Logits, m.Targets); err != nil {
		return nil, fmt.Errorf("model: loss: %w", err)
	}
	if m.Loss, err = m.regularize(m.CrossEntropy); err != nil {
		return nil, fmt.Errorf("model: regularisers: %w", err)
	}
	return m, nil
}

// regularize adds the activity penalties of every hidden layer to cost. The
// one-hot targets weight the samples, so padding rows do not count.
func (m *Model) regularize(cost *G.Node) (*G.Node, error) {
	r := m.Spec.Reg
	for _, c := range m.Counts {
		if c == nil {
			continue
		}
		var terms []*G.Node
		if r.LowerStrength > 0 {
			p, err := loss.LowerBound(c, m.Targets, r.LowerStrength, r.LowerThreshold)
			if err != nil {
				return nil, err
			}
			terms = append(terms, p)
		}
		if r.UpperStrength > 0 {
			p, err := loss.UpperBound(c, m.Targets, r.UpperStrength, r.UpperThreshold, r.UpperExp)
			if err != nil {
				return nil, err
			}
			terms = append(terms, p)
		}
		for _, p := range terms {
			var err error
			if cost, err = G.Add(cost, p); err != nil {
				return nil, err
			}
		}
	}
	return cost, nil
}

// Learnables returns the weight nodes, W then V.
func (m *Model) Learnables() G.Nodes {
	return append(append(G.Nodes(nil), m.W...), m.V...)
}

func checkWeights(s Spec, w *Weights) error {
	sz := s.Sizes()
	if w == nil || len(w.W) != len(sz)-1 {
		return fmt.Errorf("model: want %d weight matrices W", len(sz)-1)
	}
	dt := w.W[0].Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("model: weights have dtype %v, want float32 or float64", dt)
	}
	for l, m := range w.W {
		if err := checkMatrix(fmt.Sprintf("W%d", l), m, sz[l], sz[l+1], dt); err != nil {
			return err
		}
	}
	wantV := 0
	if s.Recurrent {
		wantV = len(s.Hidden)
	}
	if len(w.V) != wantV {
		return fmt.Errorf("model: want %d recurrent matrices V, got %d", wantV, len(w.V))
	}
	for l, m := range w.V {
		if err := checkMatrix(fmt.Sprintf("V%d", l), m, s.Hidden[l], s.Hidden[l], dt); err != nil {
			return err
		}
	}
	return nil
}

func checkMatrix(name string, m *tensor.Dense, rows, cols int, dt tensor.Dtype) error {
	if m == nil {
		return fmt.Errorf("model: weight %s is missing", name)
	}
	if !m.Shape().Eq(tensor.Shape{rows, cols}) {
		return fmt.Errorf("model: weight %s has shape %v, want [%d %d]", name, m.Shape(), rows, cols)
	}
	if m.Dtype() != dt {
		return fmt.Errorf("model: weight %s has dtype %v, want %v", name, m.Dtype(), dt)
	}
	return nil
}

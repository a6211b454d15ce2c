package models

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/ops/loss"
)

// Model is a network unrolled for a fixed batch size in its own graph, with
// the loss attached.
type Model struct {
	Spec  network.Spec
	Batch int
	Graph *G.ExprGraph

	// Input holds the inputs of all T steps, [T·batch, inputs]: step n's
	// are rows n·batch … (n+1)·batch−1. Bind it (G.Let) to a tensor of
	// that shape or to a lif.Sequence.
	Input *G.Node
	// Inputs are Input's steps (lif.Steps), T nodes of [batch, inputs],
	// that the network reads: its synapses read their blocks of Input
	// directly, so a compiled program has one input node for all steps.
	Inputs  []*G.Node
	Targets *G.Node   // [batch, outputs]: one-hot rows, zero rows for padding
	W, V    []*G.Node // weight nodes bound to the Weights' tensors
	Neuron  []*G.Node // the neuron model's per-neuron parameters, likewise

	Net    *graph.Net
	Counts []*G.Node // per hidden layer, [batch, units] spike counts; nil if silent by construction
	// CrossEntropy is the supervised loss, the mean over the real samples;
	// Loss adds the activity regularisers to it.
	CrossEntropy *G.Node
	Loss         *G.Node
}

// Option changes how New builds a model.
type Option func(*options)

type options struct {
	threads int
	plain   bool
}

// Threads bounds the goroutines the kernels of the model's graph use (see
// ops.SetThreads); 0, the default, means GOMAXPROCS.
func Threads(n int) Option { return func(o *options) { o.threads = n } }

// Plain builds the model's layers without the links a fused backward pass
// needs (models.Neuron.Graph with fused false): the same values, fewer
// edges per step, so a program that takes no gradients (evaluation)
// compiles faster. Gradients still work, unfused.
func Plain() Option { return func(o *options) { o.plain = true } }

// New builds the graph of s for batch samples at a time. The weight nodes
// share w's tensors: an optimiser that updates the nodes updates w.
func New(s network.Spec, batch int, w *Weights, opts ...Option) (*Model, error) {
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
	neuron, err := neuronOf(s)
	if err != nil {
		return nil, err
	}
	dt := w.W[0].Dtype()
	m := &Model{Spec: s, Batch: batch, Graph: G.NewGraph()}
	if err := ops.SetThreads(m.Graph, o.threads); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m.Input = G.NewMatrix(m.Graph, dt, G.WithShape(s.Steps*batch, s.Inputs), G.WithName("input"))
	if m.Inputs, err = lif.Steps(m.Input, s.Steps); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	m.Targets = G.NewMatrix(m.Graph, dt, G.WithShape(batch, s.Outputs), G.WithName("targets"))
	params := s.Params()
	for i, t := range w.All() {
		n := G.NodeFromAny(m.Graph, t, G.WithName(params[i].Name))
		switch {
		case params[i].PerNeuron:
			m.Neuron = append(m.Neuron, n)
		case params[i].Recurrent:
			m.V = append(m.V, n)
		default:
			m.W = append(m.W, n)
		}
	}
	// The loss reads the readout (and the spike counts), so a fused
	// backward pass applies.
	layers, err := neuron.Graph(s, !o.plain)
	if err != nil {
		return nil, fmt.Errorf("model: neuron %s: %w", neuron.Name(), err)
	}
	net, err := graph.Build(m.Inputs, layers, m.layerParams(params), s.Readout)
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

// layerParams gathers each layer's parameter nodes.
func (m *Model) layerParams(params []network.Param) []graph.Params {
	layers := make([]graph.Params, len(m.W))
	for l, w := range m.W {
		layers[l].W = w
	}
	for l, v := range m.V {
		layers[l].V = v
	}
	first := len(m.W) + len(m.V)
	for i, n := range m.Neuron {
		l := params[first+i].Layer
		layers[l].Neuron = append(layers[l].Neuron, n)
	}
	return layers
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

// Learnables returns the parameter nodes in Weights.All order: W, V,
// then the per-neuron parameters.
func (m *Model) Learnables() G.Nodes {
	return append(append(append(G.Nodes(nil), m.W...), m.V...), m.Neuron...)
}

func checkWeights(s network.Spec, w *Weights) error {
	params := s.Params()
	var want [3]int // W, V, Neuron
	for _, p := range params {
		switch {
		case p.PerNeuron:
			want[2]++
		case p.Recurrent:
			want[1]++
		default:
			want[0]++
		}
	}
	if w == nil || len(w.W) != want[0] {
		return fmt.Errorf("model: want %d weight matrices W", want[0])
	}
	if len(w.V) != want[1] {
		return fmt.Errorf("model: want %d recurrent matrices V, got %d", want[1], len(w.V))
	}
	if len(w.Neuron) != want[2] {
		return fmt.Errorf("model: want %d per-neuron parameters, got %d", want[2], len(w.Neuron))
	}
	dt := w.W[0].Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("model: weights have dtype %v, want float32 or float64", dt)
	}
	for i, m := range w.All() {
		if err := checkMatrix(params[i].Name, m, params[i].Rows, params[i].Cols, dt); err != nil {
			return err
		}
	}
	if !slices.Equal(w.names, namesOf(params)) {
		return fmt.Errorf("model: weights named %v, want %v (make them with Zeros or Init)", w.names, namesOf(params))
	}
	return nil
}

func namesOf(params []network.Param) []string {
	var names []string
	for _, p := range params {
		names = append(names, p.Name)
	}
	return names
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

package train

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
)

// Session is a model compiled for training and evaluation.
type Session struct {
	Model   *models.Model
	Weights *models.Weights // the tensors the graph's weight nodes share

	learn  G.Nodes
	trainM G.VM
	evalM  G.VM
	traceM G.VM // compiled on first use by Snapshots
	solver *G.AdamSolver
	feed   *batcher
	logits []float64   // scratch
	counts [][]float64 // scratch
}

// NewSession builds and compiles spec for batches of batch samples, with the
// given weights (which it updates in place when training) and learning rate.
func NewSession(spec models.Spec, batch int, w *models.Weights, lr float64) (*Session, error) {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("train: learning rate must be a positive number, got %g", lr)
	}
	m, err := models.New(spec, batch, w)
	if err != nil {
		return nil, err
	}
	s := &Session{Model: m, Weights: w, learn: m.Learnables()}
	grads, err := G.Grad(m.Loss, s.learn...)
	if err != nil {
		return nil, fmt.Errorf("train: gradients: %w", err)
	}
	observed := append(G.Nodes{m.Net.Out.Logits}, liveCounts(m)...)
	trainOut := append(append(G.Nodes{m.Loss}, grads...), observed...)
	if s.trainM, err = machine(m.Graph, s.learn, trainOut, G.BindDualValues(s.learn...)); err != nil {
		return nil, err
	}
	if s.evalM, err = machine(m.Graph, s.learn, observed); err != nil {
		return nil, err
	}
	s.solver = G.NewAdamSolver(G.WithLearnRate(lr))
	if s.feed, err = newBatcher(spec.Steps, batch, spec.Inputs, spec.Outputs, w.W[0].Dtype()); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	for n, in := range m.Inputs {
		if err := G.Let(in, s.feed.inputs[n]); err != nil {
			return nil, fmt.Errorf("train: bind input %d: %w", n, err)
		}
	}
	if err := G.Let(m.Targets, s.feed.targets); err != nil {
		return nil, fmt.Errorf("train: bind targets: %w", err)
	}
	return s, nil
}

// machine compiles the part of g that outputs need into a TapeMachine.
func machine(g *G.ExprGraph, inputs, outputs G.Nodes, opts ...G.VMOpt) (G.VM, error) {
	prog, locs, err := G.CompileFunction(g, inputs, outputs)
	if err != nil {
		return nil, fmt.Errorf("train: compile: %w", err)
	}
	// Reusable: Reset keeps the tensors, so a run fills the previous run's.
	return graph.Reusable(G.NewTapeMachine(g, append([]G.VMOpt{G.WithPrecompiled(prog, locs)}, opts...)...)), nil
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

// Close releases the machines.
func (s *Session) Close() {
	s.trainM.Close()
	s.evalM.Close()
	if s.traceM != nil {
		s.traceM.Close()
	}
}

// Step trains on the samples idx of split (at most the batch size) and
// returns their metrics as measured in the forward pass.
func (s *Session) Step(split *datasets.Split, idx []int) (Metrics, error) {
	if err := s.feed.fill(split, idx); err != nil {
		return Metrics{}, err
	}
	err := s.trainM.RunAll()
	defer s.trainM.Reset()
	if err != nil {
		return Metrics{}, fmt.Errorf("train: forward/backward: %w", err)
	}
	loss := floats(s.Model.Loss.Value(), nil)[0]
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return Metrics{}, fmt.Errorf("train: loss is %v: training diverged (try a smaller learning rate)", loss)
	}
	var m Metrics
	s.accumulate(&m, split, idx)
	if err := s.solver.Step(G.NodesToValueGrads(s.learn)); err != nil {
		return Metrics{}, fmt.Errorf("train: Adam step: %w", err)
	}
	// A NaN can hide from the loss (a maximum over time skips it), but not
	// from the weights it reaches.
	if name, ok := s.finiteWeights(); !ok {
		return Metrics{}, fmt.Errorf("train: weight %s is no longer finite: training diverged (try a smaller learning rate)", name)
	}
	return m.done(), nil
}

// Evaluate runs the whole split through the evaluation program.
func (s *Session) Evaluate(split *datasets.Split) (Metrics, error) {
	m, _, err := s.Measure(split, nil)
	return m, err
}

// accumulate adds the outputs of the training program for the real rows.
func (s *Session) accumulate(m *Metrics, split *datasets.Split, idx []int) {
	C := s.Model.Spec.Outputs
	s.logits = floats(s.Model.Net.Out.Logits.Value(), s.logits)
	if len(s.counts) != len(s.Model.Counts) {
		s.counts = make([][]float64, len(s.Model.Counts))
	}
	for l, c := range s.Model.Counts {
		if c != nil {
			s.counts[l] = floats(c.Value(), s.counts[l])
		}
	}
	row := make([][]float64, len(s.counts))
	for r, i := range idx {
		for l, c := range s.counts {
			if c != nil {
				H := s.Model.Spec.Hidden[l]
				row[l] = c[r*H : (r+1)*H]
			}
		}
		m.add(s.logits[r*C:(r+1)*C], split.Samples[i].Label, row)
	}
}

func crossEntropy(z []float64, label int) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s) - z[label]
}

func argmax(z []float64) int {
	best := 0
	for i, v := range z {
		if v > z[best] {
			best = i
		}
	}
	return best
}

// finiteWeights reports the first weight matrix holding a NaN or Inf.
func (s *Session) finiteWeights() (string, bool) {
	names := s.Weights.Names()
	for i, w := range s.Weights.All() {
		switch d := w.Data().(type) {
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

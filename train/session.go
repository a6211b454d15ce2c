package train

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/tape"
	"github.com/spikegrad/spikegrad/models"
)

// Session is a model compiled for training and evaluation.
type Session struct {
	Model   *models.Model
	Weights *models.Weights // the tensors the graph's weight nodes share

	learn  G.Nodes
	evalM  G.VM
	traceM G.VM // compiled on first use by Snapshots
	solver *G.AdamSolver
	feed   *batcher
	train  []*replica  // the training programs, each for part of a batch
	logits []float64   // scratch
	counts [][]float64 // scratch
}

// replica is a training program for part of a batch. With two cores a batch
// is split between two replicas, each a model of half the batch that runs
// its whole program on one core: the per-step tensors of the default
// networks are so small that splitting every kernel between the cores
// spends much of the gain on synchronisation. The replicas share the
// weight tensors; their gradients are combined before the Adam step.
type replica struct {
	model *models.Model
	learn G.Nodes
	m     G.VM
	feed  *batcher
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
	observed := append(G.Nodes{m.Net.Out.Logits}, liveCounts(m)...)
	if s.evalM, err = machine(m.Graph, s.learn, observed); err != nil {
		return nil, err
	}
	if s.feed, err = bind(m, w); err != nil {
		return nil, err
	}
	s.solver = G.NewAdamSolver(G.WithLearnRate(lr))
	sizes := []int{batch}
	if runtime.GOMAXPROCS(0) >= 2 && batch >= 2 {
		sizes = []int{(batch + 1) / 2, batch / 2}
	}
	for _, b := range sizes {
		r := &replica{model: m, feed: s.feed}
		if len(sizes) > 1 {
			// Each replica runs on one core: its kernels stay there.
			if r.model, err = models.New(spec, b, w, models.Threads(1)); err != nil {
				return nil, err
			}
			if r.feed, err = bind(r.model, w); err != nil {
				return nil, err
			}
		}
		if err := r.compile(); err != nil {
			return nil, err
		}
		s.train = append(s.train, r)
	}
	return s, nil
}

// compile compiles the replica's training program.
func (r *replica) compile() error {
	m := r.model
	r.learn = m.Learnables()
	grads, err := G.Grad(m.Loss, r.learn...)
	if err != nil {
		return fmt.Errorf("train: gradients: %w", err)
	}
	out := append(append(append(G.Nodes{m.Loss}, grads...), m.Net.Out.Logits), liveCounts(m)...)
	r.m, err = machine(m.Graph, r.learn, out, G.BindDualValues(r.learn...))
	return err
}

// bind gives m's input and target nodes a batcher's tensors.
func bind(m *models.Model, w *models.Weights) (*batcher, error) {
	spec := m.Spec
	feed, err := newBatcher(spec.Steps, m.Batch, spec.Inputs, spec.Outputs, w.W[0].Dtype())
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

// machine compiles the part of g that outputs need into a TapeMachine.
func machine(g *G.ExprGraph, inputs, outputs G.Nodes, opts ...G.VMOpt) (G.VM, error) {
	prog, locs, err := G.CompileFunction(g, inputs, outputs)
	if err != nil {
		return nil, fmt.Errorf("train: compile: %w", err)
	}
	// Reusable: Reset keeps the tensors, so a run fills the previous run's.
	return tape.Reusable(G.NewTapeMachine(g, append([]G.VMOpt{G.WithPrecompiled(prog, locs)}, opts...)...)), nil
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
	for _, r := range s.train {
		r.m.Close()
	}
	s.evalM.Close()
	if s.traceM != nil {
		s.traceM.Close()
	}
}

// Step trains on the samples idx of split (at most the batch size) and
// returns their metrics as measured in the forward pass.
func (s *Session) Step(split *datasets.Split, idx []int) (Metrics, error) {
	if len(idx) > s.Model.Batch {
		return Metrics{}, fmt.Errorf("train: %d samples for a batch of %d", len(idx), s.Model.Batch)
	}
	// The replicas take consecutive parts of idx; one without samples
	// does not run.
	parts := make([][]int, 0, len(s.train))
	rest := idx
	for _, r := range s.train {
		n := min(r.model.Batch, len(rest))
		if n == 0 && len(parts) > 0 {
			break
		}
		parts, rest = append(parts, rest[:n]), rest[n:]
	}
	errs := make([]error, len(parts))
	if len(parts) == 1 {
		errs[0] = s.train[0].run(split, parts[0])
	} else {
		var wg sync.WaitGroup
		for k := range parts {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				errs[k] = s.train[k].run(split, parts[k])
			}(k)
		}
		wg.Wait()
	}
	for k := range parts {
		defer s.train[k].m.Reset()
	}
	if err := errors.Join(errs...); err != nil {
		return Metrics{}, err
	}
	var m Metrics
	for k, part := range parts {
		r := s.train[k]
		loss := floats(r.model.Loss.Value(), nil)[0]
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return Metrics{}, fmt.Errorf("train: loss is %v: training diverged (try a smaller learning rate)", loss)
		}
		s.accumulate(&m, r.model, split, part)
	}
	if err := s.combineGrads(parts); err != nil {
		return Metrics{}, err
	}
	if err := s.solver.Step(G.NodesToValueGrads(s.train[0].learn)); err != nil {
		return Metrics{}, fmt.Errorf("train: Adam step: %w", err)
	}
	// A NaN can hide from the loss (a maximum over time skips it), but not
	// from the weights it reaches.
	if name, ok := s.finiteWeights(); !ok {
		return Metrics{}, fmt.Errorf("train: weight %s is no longer finite: training diverged (try a smaller learning rate)", name)
	}
	return m.done(), nil
}

// run trains the replica's program on idx.
func (r *replica) run(split *datasets.Split, idx []int) error {
	if err := r.feed.fill(split, idx); err != nil {
		return err
	}
	if err := r.m.RunAll(); err != nil {
		return fmt.Errorf("train: forward/backward: %w", err)
	}
	return nil
}

// combineGrads leaves in the first replica's gradients the gradient of the
// whole batch's loss. Every replica's loss is a mean over its samples, so
// the batch's gradient is the mean of theirs weighted by their sizes.
func (s *Session) combineGrads(parts [][]int) error {
	if len(parts) < 2 {
		return nil
	}
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	for l, n := range s.train[0].learn {
		g0, err := n.Grad()
		if err != nil {
			return fmt.Errorf("train: gradient of %v: %w", n, err)
		}
		for k := 1; k < len(parts); k++ {
			gk, err := s.train[k].learn[l].Grad()
			if err != nil {
				return fmt.Errorf("train: gradient of %v: %w", s.train[k].learn[l], err)
			}
			a, b := float64(len(parts[0]))/float64(total), float64(len(parts[k]))/float64(total)
			if k > 1 {
				a = 1
			}
			switch d := g0.Data().(type) {
			case []float32:
				mix(d, float32(a), gk.Data().([]float32), float32(b))
			case []float64:
				mix(d, a, gk.Data().([]float64), b)
			}
			// The machine adds to the gradients it finds; Adam clears
			// only those of the first replica.
			if z, ok := gk.(G.Zeroer); ok {
				z.Zero()
			}
		}
	}
	return nil
}

// mix writes a·x + b·y into x.
func mix[T float32 | float64](x []T, a T, y []T, b T) {
	for i, v := range y {
		x[i] = a*x[i] + b*v
	}
}

// Evaluate runs the whole split through the evaluation program.
func (s *Session) Evaluate(split *datasets.Split) (Metrics, error) {
	m, _, err := s.Measure(split, nil)
	return m, err
}

// accumulate adds the outputs of model's training program for the real
// rows idx.
func (s *Session) accumulate(m *Metrics, model *models.Model, split *datasets.Split, idx []int) {
	C := model.Spec.Outputs
	s.logits = floats(model.Net.Out.Logits.Value(), s.logits)
	if len(s.counts) != len(model.Counts) {
		s.counts = make([][]float64, len(model.Counts))
	}
	for l, c := range model.Counts {
		if c != nil {
			s.counts[l] = floats(c.Value(), s.counts[l])
		}
	}
	row := make([][]float64, len(s.counts))
	for r, i := range idx {
		for l, c := range s.counts {
			if c != nil {
				H := model.Spec.Hidden[l]
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

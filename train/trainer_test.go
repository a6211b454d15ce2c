package train_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/train"
)

// batchOf returns 0, …, n−1.
func batchOf(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// trainSteps trains a fresh copy of w for steps steps on the same batch
// and returns the weights.
func trainSteps(t *testing.T, spec network.Spec, w *models.Weights, opt train.Optimizer, steps int) *models.Weights {
	t.Helper()
	d := smallRandman(t)
	w = w.Clone()
	tr, err := train.NewTrainer(spec, 20, w, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for i := 0; i < steps; i++ {
		if _, err := tr.Step(d.Train, batchOf(20)); err != nil {
			t.Fatal(err)
		}
	}
	if tr.Steps() != steps {
		t.Errorf("Steps() = %d after %d steps", tr.Steps(), steps)
	}
	return w
}

func sameWeights(a, b *models.Weights) bool {
	for i, m := range a.All() {
		if !reflect.DeepEqual(m.Data(), b.All()[i].Data()) {
			return false
		}
	}
	return true
}

// Backward, Grads and Update are Step taken apart: the same weights, and
// a gradient the caller can see (and change) in between.
func TestBackwardGradsUpdateIsStep(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 30)
	w0, err := models.Init(spec, 2, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	want := trainSteps(t, spec, w0, train.DefaultOptimizer(1e-2), 3)

	w := w0.Clone()
	tr, err := train.NewTrainer(spec, 20, w, train.DefaultOptimizer(1e-2))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if _, err := tr.Grads(); err == nil {
		t.Error("Grads before Backward: want an error")
	}
	if err := tr.Update(); err == nil {
		t.Error("Update before Backward: want an error")
	}
	// A Backward that no Update follows is discarded by the next.
	if _, err := tr.Backward(d.Train, []int{5, 6, 7}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := tr.Backward(d.Train, batchOf(20)); err != nil {
			t.Fatal(err)
		}
		gs, err := tr.Grads()
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != len(w.All()) || !gs[0].Shape().Eq(w.W[0].Shape()) {
			t.Fatalf("%d gradients, first of shape %v", len(gs), gs[0].Shape())
		}
		norm := 0.0
		for _, v := range gs[0].Float64s() {
			norm += v * v
		}
		if norm == 0 {
			t.Fatal("the gradient of W0 is zero: nothing to compare")
		}
		if err := tr.Update(); err != nil {
			t.Fatal(err)
		}
	}
	if !sameWeights(w, want) {
		t.Error("Backward+Update gives other weights than Step")
	}
}

// β₁, β₂ and ε reach Gorgonia's Adam: the options give the weights of an
// AdamSolver built with them and injected, and other weights than the
// defaults.
func TestAdamOptionsAndInjectedSolver(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20)
	w0, _ := models.Init(spec, 4, tensor.Float64)
	tuned := train.Optimizer{Adam: train.Adam{LR: 1e-2, Beta1: 0.5, Beta2: 0.9, Eps: 1e-6}}
	a := trainSteps(t, spec, w0, tuned, 3)
	b := trainSteps(t, spec, w0, train.Optimizer{Solver: G.NewAdamSolver(
		G.WithLearnRate(1e-2), G.WithBeta1(0.5), G.WithBeta2(0.9), G.WithEps(1e-6))}, 3)
	c := trainSteps(t, spec, w0, train.DefaultOptimizer(1e-2), 3)
	if !sameWeights(a, b) {
		t.Error("Adam options and the same AdamSolver injected give different weights")
	}
	if sameWeights(a, c) {
		t.Error("β₁ = 0.5, β₂ = 0.9 give the weights of the defaults")
	}
	// Another of Gorgonia's solvers trains too, but has no state to save.
	sgd := train.Optimizer{Solver: G.NewVanillaSolver(G.WithLearnRate(1e-1))}
	if sameWeights(trainSteps(t, spec, w0, sgd, 2), w0) {
		t.Error("the vanilla solver did not change the weights")
	}
	tr, err := train.NewTrainer(spec, 20, w0.Clone(), sgd)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if _, err := tr.SolverState(); err == nil {
		t.Error("state of a vanilla solver: want an error")
	}
}

// A schedule sets the learning rate of every step: a constant one is the
// plain rate, a decaying one differs, and a bad rate stops training.
func TestSchedule(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20)
	w0, _ := models.Init(spec, 5, tensor.Float32)
	plain := trainSteps(t, spec, w0, train.DefaultOptimizer(1e-2), 3)
	var seen []int
	constant := train.Optimizer{Adam: train.Adam{LR: 1}, Schedule: func(step int) float64 { seen = append(seen, step); return 1e-2 }}
	if !sameWeights(trainSteps(t, spec, w0, constant, 3), plain) {
		t.Error("a constant schedule differs from the plain learning rate")
	}
	if !reflect.DeepEqual(seen, []int{1, 2, 3}) {
		t.Errorf("schedule asked for steps %v, want 1, 2, 3", seen)
	}
	decay := train.Optimizer{Schedule: func(step int) float64 { return 1e-2 / float64(step) }}
	if sameWeights(trainSteps(t, spec, w0, decay, 3), plain) {
		t.Error("a decaying schedule gives the weights of a constant rate")
	}
	tr, _ := train.NewTrainer(spec, 20, w0.Clone(), train.Optimizer{Schedule: func(int) float64 { return 0 }})
	defer tr.Close()
	if _, err := tr.Step(d.Train, batchOf(20)); err == nil || !strings.Contains(err.Error(), "schedule") {
		t.Errorf("a zero learning rate from the schedule: %v, want an error naming the schedule", err)
	}
}

func TestOptimizerValidation(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 10)
	w, _ := models.Init(spec, 1, tensor.Float32)
	for name, opt := range map[string]train.Optimizer{
		"zero lr":      {},
		"beta1 = 1":    {Adam: train.Adam{LR: 1e-3, Beta1: 1}},
		"beta2 < 0":    {Adam: train.Adam{LR: 1e-3, Beta2: -0.1}},
		"negative eps": {Adam: train.Adam{LR: 1e-3, Eps: -1}},
	} {
		if _, err := train.NewTrainer(spec, 4, w, opt); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

// The evaluator compiles the model's forward pass and nothing else: its
// graph is the model's, with no gradient nodes.
func TestEvaluatorCompilesNoGradient(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20)
	w, _ := models.Init(spec, 1, tensor.Float32)
	m, err := models.New(spec, 8, w, models.Plain()) // as the evaluator builds it
	if err != nil {
		t.Fatal(err)
	}
	ev, err := train.NewEvaluator(spec, 8, w)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	if got, want := len(ev.Model.Graph.AllNodes()), len(m.Graph.AllNodes()); got != want {
		t.Errorf("the evaluator's graph has %d nodes, the bare model %d", got, want)
	}
	if _, err := G.Grad(m.Loss, m.Learnables()...); err != nil {
		t.Fatal(err)
	}
	if len(m.Graph.AllNodes()) <= len(ev.Model.Graph.AllNodes()) {
		t.Error("taking the gradient added no nodes: the test cannot see it")
	}
}

// Run paused after k epochs and resumed from the State it handed OnEpoch
// ends exactly where the uninterrupted run does: the same history, best
// epoch, weights and test result, for both float types and with the batch
// split into micro-batches, continued on one core after two.
func TestResumeContinuesExactly(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 24)
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		c := train.DefaultConfig()
		c.Epochs, c.Batch, c.DType, c.Optimizer = 4, 64, dt, train.DefaultOptimizer(1e-2)
		c.Cores = 2
		var paused *train.State
		var pausedW *models.Weights
		c.OnEpoch = func(p train.Progress) error {
			if p.Epoch.Epoch == 2 {
				st, err := p.State()
				if err != nil {
					return err
				}
				paused, pausedW = st, p.Weights.Clone()
			}
			return nil
		}
		straight, err := train.Fit(context.Background(), spec, d, c)
		if err != nil {
			t.Fatal(err)
		}
		if paused == nil || paused.Epoch != 2 || paused.Solver.Step == 0 || len(paused.Order) == 0 {
			t.Fatalf("%v: state after epoch 2: %+v", dt, paused)
		}
		// Continued on another number of cores.
		c.OnEpoch, c.Init, c.Resume, c.Cores = nil, pausedW, paused, 1
		resumed, err := train.Fit(context.Background(), spec, d, c)
		if err != nil {
			t.Fatal(err)
		}
		if !sameHistory(straight.History, resumed.History) || straight.BestEpoch != resumed.BestEpoch {
			t.Errorf("%v: histories differ:\n%+v\n%+v", dt, straight.History, resumed.History)
		}
		if !sameWeights(straight.Weights, resumed.Weights) || !reflect.DeepEqual(straight.Test, resumed.Test) {
			t.Errorf("%v: best weights or test results differ: %+v vs %+v", dt, straight.Test, resumed.Test)
		}
		// Without the solver's state the run goes elsewhere: the test can
		// tell.
		c.Resume = &train.State{Epoch: 2, History: paused.History, BestEpoch: paused.BestEpoch, Best: paused.Best, Order: paused.Order}
		fresh, err := train.Fit(context.Background(), spec, d, c)
		if err != nil {
			t.Fatal(err)
		}
		if sameHistory(straight.History, fresh.History) {
			t.Errorf("%v: resuming without Adam's state matched too", dt)
		}
	}
}

// sameHistory compares histories without their wall times.
func sameHistory(a, b []metrics.Epoch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Duration, y.Duration = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestResumeRejectsBadStates(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 10)
	w, _ := models.Init(spec, 1, tensor.Float32)
	c := train.DefaultConfig()
	c.Epochs, c.Batch = 2, 50
	for name, st := range map[string]*train.State{
		"more epochs than asked": {Epoch: 3},
		"history too short":      {Epoch: 1, Order: []byte("x")},
		"bad order":              {Epoch: 0, Order: []byte("not a pcg")},
	} {
		c.Resume, c.Init = st, w
		if _, err := train.Fit(context.Background(), spec, d, c); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	c.Resume, c.Init = &train.State{}, nil
	if _, err := train.Fit(context.Background(), spec, d, c); err == nil {
		t.Error("resume without weights: want an error")
	}
}

// Close drops a Trainer's and an Evaluator's programs, so that their
// memory can be reused by the next (a sweep builds one per run, one after
// another): using them afterwards is an error, not a panic or a silent run.
func TestClosedTrainerAndEvaluatorRefuse(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 20)
	w, _ := models.Init(spec, 1, tensor.Float32)
	tr, err := train.NewTrainer(spec, 20, w, train.DefaultOptimizer(1e-3))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := tr.Evaluator()
	if err != nil {
		t.Fatal(err)
	}
	own, err := train.NewEvaluator(spec, 20, w)
	if err != nil {
		t.Fatal(err)
	}
	tr.Close()
	tr.Close() // twice is harmless
	if _, err := tr.Step(d.Train, batchOf(20)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Step after Close: error %v, want one saying the trainer is closed", err)
	}
	if _, err := tr.Evaluator(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Evaluator after Close: error %v, want one saying the trainer is closed", err)
	}
	// An Evaluator made from the trainer outlives it until its own Close.
	if _, err := ev.Evaluate(d.Test); err != nil {
		t.Errorf("the trainer's evaluator after the trainer's Close: %v", err)
	}
	for name, e := range map[string]*train.Evaluator{"Trainer.Evaluator": ev, "NewEvaluator": own} {
		e.Close()
		e.Close()
		if _, err := e.Evaluate(d.Test); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s: Evaluate after Close: error %v, want one saying the evaluator is closed", name, err)
		}
		if _, err := e.Snapshots(d.Test, batchOf(2)); err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s: Snapshots after Close: error %v, want one saying the evaluator is closed", name, err)
		}
	}
}

package runner_test

import (
	"path/filepath"
	"reflect"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets/randman"
	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// biased is the LIF with a learnt per-neuron offset of the readout
// potentials, a model with a per-neuron parameter.
type biased struct{ models.LIF }

func (biased) Name() string { return "test-biased" }

func (biased) Params(readout bool) []network.NeuronParam {
	if readout {
		return []network.NeuronParam{{Name: "bias", Init: 0.25}}
	}
	return nil
}

func (b biased) Graph(s network.Spec, fused bool) (graph.Neuron, error) {
	lif, err := b.LIF.Graph(s, fused)
	return biasedLayers{lif}, err
}

type biasedLayers struct{ graph.Neuron }

func (b biasedLayers) Readout(in []*G.Node, p graph.Params) ([]*G.Node, error) {
	pots, err := b.Neuron.Readout(in, p)
	if err != nil {
		return nil, err
	}
	for n, u := range pots {
		if u != nil {
			if pots[n], err = G.BroadcastAdd(u, p.Neuron[0], nil, []byte{0}); err != nil {
				return nil, err
			}
		}
	}
	return pots, nil
}

func init() { network.Register(biased{}) }

// A model's per-neuron parameters are named by it, trained, and kept by
// checkpoints with their Adam moments.
func TestCheckpointKeepsPerNeuronParams(t *testing.T) {
	s := run.DefaultSettings("randman")
	s.Neuron, s.DType = "test-biased", "float64"
	spec, err := s.Spec(20, 10)
	if err != nil {
		t.Fatal(err)
	}
	w, err := models.Init(spec, 1, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	if names := w.Names(); !reflect.DeepEqual(names, []string{"W0", "Wout", "biasout"}) {
		t.Fatalf("weights %v", names)
	}
	d, err := randman.Generate(randman.Default())
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(spec, 50, w, train.DefaultOptimizer(1e-2))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for i := range 3 {
		if _, err := tr.Step(d.Train, []int{i, 100 + i, 200 + i, 300 + i}); err != nil {
			t.Fatal(err)
		}
	}
	bias := w.Neuron[0].Float64s()
	if bias[0] == 0.25 {
		t.Error("the per-neuron parameter did not learn")
	}
	solver, err := tr.SolverState()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "last.npz")
	st := &train.State{Epoch: 0, Solver: solver, Order: []byte("x")}
	if err := runner.SaveCheckpoint(path, &runner.Checkpoint{Settings: s, Weights: w, State: st}); err != nil {
		t.Fatal(err)
	}
	ck, err := runner.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ck.Weights.Names(), w.Names()) {
		t.Fatalf("read back %v", ck.Weights.Names())
	}
	for i, m := range w.All() {
		if !reflect.DeepEqual(m.Data(), ck.Weights.All()[i].Data()) || !reflect.DeepEqual(solver.M[i].Data(), ck.State.Solver.M[i].Data()) {
			t.Errorf("%s differs after the round trip", w.Names()[i])
		}
	}
}

package nir_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// arch is a network shape the tests export and import.
type arch struct {
	hidden    []int
	recurrent bool
	readout   network.Reduction
}

func (a arch) String() string {
	return fmt.Sprintf("hidden%v-rec%v-%v", a.hidden, a.recurrent, a.readout)
}

// archs are 0, 1 and 2 hidden layers, feed-forward and recurrent, with
// both readouts.
var archs = []arch{
	{nil, false, network.MaxOverTime},
	{nil, false, network.SumOverTime},
	{[]int{12}, false, network.MaxOverTime},
	{[]int{12}, true, network.SumOverTime},
	{[]int{12, 9}, false, network.SumOverTime},
	{[]int{12, 9}, true, network.MaxOverTime},
}

// testNetwork returns a spec of a with randomly initialised weights, active
// enough that hidden neurons spike.
func testNetwork(t testing.TB, a arch, dt tensor.Dtype, seed uint64) (network.Spec, *models.Weights) {
	t.Helper()
	s := network.Default()
	s.Inputs, s.Outputs, s.Steps = 7, 4, 30
	s.Hidden, s.Recurrent, s.Readout = a.hidden, a.recurrent, a.readout
	s.DT, s.TauMem, s.TauSyn, s.TauReadout = 0.5, 7, 3, 11
	w, err := models.Init(s, seed, dt)
	if err != nil {
		t.Fatal(err)
	}
	return s, w
}

// inputs returns batch random spike trains, [batch][T][inputs] of 0 or 1.
func inputs(s network.Spec, batch int, seed uint64) [][][]float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([][][]float64, batch)
	for b := range x {
		x[b] = make([][]float64, s.Steps)
		for n := range x[b] {
			x[b][n] = make([]float64, s.Inputs)
			for i := range x[b][n] {
				if rng.Float64() < 0.25 {
					x[b][n][i] = 1
				}
			}
		}
	}
	return x
}

// activity is what a forward pass of the model graph computes.
type activity struct {
	Inputs [][][]float64   `json:"inputs"` // [batch][T][inputs]
	Spikes [][][][]float64 `json:"spikes"` // [layer][batch][T][units]
	Logits [][]float64     `json:"logits"` // [batch][outputs]
}

// forward runs the model graph of spikegrad (models.New and a TapeMachine)
// on x.
func forward(t testing.TB, s network.Spec, w *models.Weights, x [][][]float64) activity {
	t.Helper()
	batch := len(x)
	m, err := models.New(s, batch, w)
	if err != nil {
		t.Fatal(err)
	}
	dt := w.W[0].Dtype()
	v := tensor.New(tensor.Of(dt), tensor.WithShape(s.Steps*batch, s.Inputs))
	for n := 0; n < s.Steps; n++ {
		for b := range x {
			for i, s := range x[b][n] {
				if err := v.SetAt(cast(s, dt), n*batch+b, i); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := G.Let(m.Input, v); err != nil {
		t.Fatal(err)
	}
	if err := G.Let(m.Targets, tensor.New(tensor.Of(dt), tensor.WithShape(batch, s.Outputs))); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(m.Graph)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	act := activity{Inputs: x, Logits: rows(m.Net.Out.Logits, batch, s.Outputs)}
	for l, layer := range m.Net.Hidden {
		sp := make([][][]float64, batch)
		for b := range sp {
			sp[b] = make([][]float64, s.Steps)
		}
		for n, node := range layer.Spikes {
			r := make([][]float64, batch)
			if node != nil {
				r = rows(node, batch, s.Hidden[l])
			}
			for b := range sp {
				if r[b] == nil {
					r[b] = make([]float64, s.Hidden[l])
				}
				sp[b][n] = r[b]
			}
		}
		act.Spikes = append(act.Spikes, sp)
	}
	return act
}

func cast(v float64, dt tensor.Dtype) any {
	if dt == tensor.Float32 {
		return float32(v)
	}
	return v
}

func rows(n *G.Node, batch, width int) [][]float64 {
	var flat []float64
	switch d := n.Value().Data().(type) {
	case []float64:
		flat = d
	case []float32:
		for _, v := range d {
			flat = append(flat, float64(v))
		}
	}
	out := make([][]float64, batch)
	for b := range out {
		out[b] = append([]float64(nil), flat[b*width:(b+1)*width]...)
	}
	return out
}

package lif_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/internal/optest"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/surrogate"
)

var _ G.Value = (*lif.Events)(nil)

func TestEventsDense(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		e, err := lif.NewEvents(dt, 4, 3)
		if err != nil {
			t.Fatal(err)
		}
		// Row 0 and 2 empty, a repeated place in row 3.
		for _, a := range [][3]float64{{1, 2, 0.5}, {1, 0, -1}, {3, 1, 2}, {3, 1, 0.25}} {
			if err := e.Add(int(a[0]), int(a[1]), a[2]); err != nil {
				t.Fatal(err)
			}
		}
		want := []float64{0, 0, 0, -1, 0, 0.5, 0, 0, 0, 0, 2.25, 0}
		if got := optest.Float64s(e.Dense()); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v: dense %v, want %v", dt, got, want)
		}
		if e.Len() != 4 || !e.Shape().Eq(tensor.Shape{4, 3}) || e.Dtype() != dt || e.Size() != 12 {
			t.Errorf("%v: len %d shape %v dtype %v size %d", dt, e.Len(), e.Shape(), e.Dtype(), e.Size())
		}
		e.Clear()
		if e.Len() != 0 || fmt.Sprint(optest.Float64s(e.Dense())) != fmt.Sprint(make([]float64, 12)) {
			t.Errorf("%v: Clear left %d entries", dt, e.Len())
		}
		if err := e.Add(0, 0, 1); err != nil {
			t.Errorf("%v: Add after Clear: %v", dt, err)
		}
	}
}

func TestEventsErrors(t *testing.T) {
	if _, err := lif.NewEvents(tensor.Int, 2, 2); err == nil || !strings.Contains(err.Error(), "dtype") {
		t.Errorf("int dtype: %v", err)
	}
	if _, err := lif.NewEvents(tensor.Float32, 0, 2); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("zero rows: %v", err)
	}
	e, _ := lif.NewEvents(tensor.Float32, 3, 2)
	if err := e.Add(1, 0, 1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		row, col int
		want     string
	}{{0, 0, "in order"}, {3, 0, "outside"}, {1, 2, "outside"}, {2, -1, "outside"}} {
		if err := e.Add(c.row, c.col, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Add(%d, %d): %v, want an error saying %q", c.row, c.col, err, c.want)
		}
	}
}

// synapseRun builds three steps of Synapses on inputs bound as Events or
// as dense tensors and returns the final current and the gradient of W.
func synapseRun(t *testing.T, dt tensor.Dtype, xs [][]float64, events bool) ([]float64, []float64) {
	t.Helper()
	const rows, fanIn, cols = 3, 5, 4
	g := G.NewGraph()
	wv := make([]float64, fanIn*cols)
	for i := range wv {
		wv[i] = float64(i%7) - 2.5
	}
	w := G.NewMatrix(g, dt, G.WithName("W"), G.WithValue(optest.Dense(dt, fanIn, cols, wv)))
	syn := lif.NewSynapses(w, nil)
	var c *G.Node
	for n, x := range xs {
		in := G.NewMatrix(g, dt, G.WithName(fmt.Sprintf("x%d", n)), G.WithShape(rows, fanIn))
		var val G.Value = optest.Dense(dt, rows, fanIn, x)
		if events {
			e, err := lif.NewEvents(dt, rows, fanIn)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range x {
				if v != 0 {
					if err := e.Add(k/fanIn, k%fanIn, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			val = e
		}
		if err := G.Let(in, val); err != nil {
			t.Fatal(err)
		}
		var err error
		if c, err = syn.Step(0.75, c, 0.5, in, nil); err != nil {
			t.Fatal(err)
		}
	}
	cost, err := G.Sum(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(cost, w); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(w))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	gw, err := w.Grad()
	if err != nil {
		t.Fatal(err)
	}
	return optest.Float64s(c.Value()), optest.Float64s(gw)
}

// Events feed Synapses exactly as the dense tensor with the same entries
// does: the same rows are gathered in the same order.
func TestSynapsesReadEvents(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([][]float64, 3)
	for n := range xs {
		xs[n] = make([]float64, 15)
		for k := range xs[n] {
			if rng.Float64() < 0.3 {
				xs[n][k] = float64(rng.IntN(3)) - 0.5
			}
		}
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		wantC, wantG := synapseRun(t, dt, xs, false)
		gotC, gotG := synapseRun(t, dt, xs, true)
		if fmt.Sprint(gotC) != fmt.Sprint(wantC) || fmt.Sprint(gotG) != fmt.Sprint(wantG) {
			t.Errorf("%v: events give current %v and dW %v, dense %v and %v", dt, gotC, gotG, wantC, wantG)
		}
	}
}

// Other ops refuse Events with an error instead of misreading them.
func TestEventsRejectedByOtherOps(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float32, G.WithName("x"), G.WithShape(2, 3))
	e, _ := lif.NewEvents(tensor.Float32, 2, 3)
	if err := e.Add(0, 1, 2); err != nil {
		t.Fatal(err)
	}
	if err := G.Let(x, e); err != nil {
		t.Fatal(err)
	}
	s, err := ops.Spike(x, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10})
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err == nil || !strings.Contains(err.Error(), "Events") {
		t.Errorf("Spike of Events: %v, want an error naming Events (value %v)", err, s.Value())
	}
}

package models_test

import (
	"math"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

func TestDefaultIsValid(t *testing.T) {
	s := network.Default()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	n, err := models.LIF{}.Graph(s, false)
	if err != nil {
		t.Fatal(err)
	}
	c := n.(graph.LIFNeuron)
	if math.Abs(c.LIF.BetaMem-math.Exp(-0.1)) > 1e-15 || math.Abs(c.LIF.BetaSyn-math.Exp(-0.2)) > 1e-15 ||
		math.Abs(c.Out.BetaOut-math.Exp(-0.05)) > 1e-15 {
		t.Errorf("decays %+v", c)
	}
}

func TestInitShapesBoundsAndSeeds(t *testing.T) {
	s := network.Default()
	s.Hidden, s.Recurrent = []int{30, 40}, true
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		w, err := models.Init(s, 1, dt)
		if err != nil {
			t.Fatal(err)
		}
		want := [][2]int{{20, 30}, {30, 40}, {40, 10}, {30, 30}, {40, 40}}
		all := w.All()
		if len(all) != len(want) {
			t.Fatalf("%d matrices, want %d", len(all), len(want))
		}
		for i, m := range all {
			if m.Dtype() != dt || m.Shape()[0] != want[i][0] || m.Shape()[1] != want[i][1] {
				t.Errorf("%s: %v %v, want %v %v", w.Names()[i], m.Dtype(), m.Shape(), dt, want[i])
			}
			bound := s.Gain / math.Sqrt(float64(want[i][0]))
			lo, hi := extremes(m)
			if lo < -bound || hi > bound || hi-lo < bound { // inside, and spread over the range
				t.Errorf("%s: values in [%g, %g], bound %g", w.Names()[i], lo, hi, bound)
			}
		}
	}
	a, _ := models.Init(s, 7, tensor.Float64)
	b, _ := models.Init(s, 7, tensor.Float64)
	c, _ := models.Init(s, 8, tensor.Float64)
	if !a.W[0].Eq(b.W[0]) || a.W[0].Eq(c.W[0]) {
		t.Error("same seed must give the same weights and another seed others")
	}
	if got := strings.Join(a.Names(), ","); got != "W0,W1,Wout,V0,V1" {
		t.Errorf("names %s", got)
	}
}

func extremes(m *tensor.Dense) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	add := func(v float64) { lo, hi = math.Min(lo, v), math.Max(hi, v) }
	switch d := m.Data().(type) {
	case []float64:
		for _, v := range d {
			add(v)
		}
	case []float32:
		for _, v := range d {
			add(float64(v))
		}
	}
	return lo, hi
}

func TestNewRejectsMismatchedWeights(t *testing.T) {
	s := network.Default()
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	other := s
	other.Hidden = []int{50}
	if _, err := models.New(other, 10, w); err == nil || !strings.Contains(err.Error(), "W0") {
		t.Errorf("want a shape error naming W0, got %v", err)
	}
	if _, err := models.New(s, 0, w); err == nil {
		t.Error("batch 0: want an error")
	}
	m, err := models.New(s, 10, w)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) != s.Steps || len(m.Learnables()) != 2 || m.Loss == nil {
		t.Errorf("model has %d inputs, %d learnables", len(m.Inputs), len(m.Learnables()))
	}
}

// Params, Zeros and Init agree on the matrices of a network: their order,
// names and sizes; Zeros draws nothing.
func TestParamsZerosAndInitAgree(t *testing.T) {
	s := network.Default()
	s.Hidden, s.Recurrent = []int{7, 5}, true
	z, err := models.Zeros(s, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	w, err := models.Init(s, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	want := []network.Param{{Name: "W0", Rows: 20, Cols: 7}, {Name: "W1", Rows: 7, Cols: 5, Layer: 1}, {Name: "Wout", Rows: 5, Cols: 10, Layer: 2},
		{Name: "V0", Rows: 7, Cols: 7, Recurrent: true}, {Name: "V1", Rows: 5, Cols: 5, Layer: 1, Recurrent: true}}
	shapes := s.Params()
	if len(shapes) != len(want) {
		t.Fatalf("shapes %v, want %v", shapes, want)
	}
	for i, sh := range shapes {
		if sh != want[i] || z.Names()[i] != sh.Name || w.Names()[i] != sh.Name ||
			!z.All()[i].Shape().Eq(tensor.Shape{sh.Rows, sh.Cols}) || !w.All()[i].Shape().Eq(z.All()[i].Shape()) {
			t.Errorf("matrix %d: shape %v, zeros %s %v, init %s %v", i, sh, z.Names()[i], z.All()[i].Shape(), w.Names()[i], w.All()[i].Shape())
		}
	}
	for _, m := range z.All() {
		for _, v := range m.Float32s() {
			if v != 0 {
				t.Fatal("Zeros holds a non-zero weight")
			}
		}
	}
	if _, err := models.Zeros(s, tensor.Int); err == nil {
		t.Error("Zeros of int weights: want an error")
	}
}

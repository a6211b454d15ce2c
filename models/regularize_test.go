package models_test

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// TestLossAddsRegularisers checks the wiring of the activity regularisers:
// Loss − CrossEntropy must equal the penalties computed by hand from the
// layers' spike counts, with padding rows (zero targets) left out.
func TestLossAddsRegularisers(t *testing.T) {
	s := network.Default()
	s.Inputs, s.Hidden, s.Outputs, s.Steps = 8, []int{12, 10}, 3, 30
	s.Reg = network.Regularization{LowerStrength: 0.7, LowerThreshold: 2, UpperStrength: 0.3, UpperThreshold: 0.5, UpperExp: 2}
	w, err := models.Init(s, 3, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	const batch, real = 5, 4 // the last row is padding
	m, err := models.New(s, batch, w)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, s.Steps*batch*s.Inputs)
	for n := 0; n < s.Steps; n++ {
		step := x[n*batch*s.Inputs:]
		for i := range step[:real*s.Inputs] {
			if rng.Float64() < 0.2 {
				step[i] = 1
			}
		}
	}
	if err := G.Let(m.Input, tensor.New(tensor.WithShape(s.Steps*batch, s.Inputs), tensor.WithBacking(x))); err != nil {
		t.Fatal(err)
	}
	y := make([]float64, batch*s.Outputs)
	for b := 0; b < real; b++ {
		y[b*s.Outputs+b%s.Outputs] = 1
	}
	if err := G.Let(m.Targets, tensor.New(tensor.WithShape(batch, s.Outputs), tensor.WithBacking(y))); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(m.Graph)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for l, c := range m.Counts {
		counts := c.Value().Data().([]float64)
		H := s.Hidden[l]
		for b := 0; b < real; b++ {
			row := counts[b*H : (b+1)*H]
			lower, mean := 0.0, 0.0
			for _, z := range row {
				lower += math.Pow(math.Max(0, s.Reg.LowerThreshold-z), 2)
				mean += z / float64(H)
			}
			want += (s.Reg.LowerStrength/float64(H)*lower + s.Reg.UpperStrength*math.Pow(math.Max(0, mean-s.Reg.UpperThreshold), 2)) / real
		}
	}
	got := m.Loss.Value().Data().(float64) - m.CrossEntropy.Value().Data().(float64)
	if want == 0 || math.Abs(got-want) > 1e-12*math.Max(1, want) {
		t.Errorf("Loss − CrossEntropy = %v, penalties by hand = %v (must be non-zero)", got, want)
	}
}

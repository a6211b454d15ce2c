package tape

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Rewind depends on the layout of Gorgonia's tapeMachine; this fails
// loudly when a Gorgonia upgrade changes it (Rewind would silently fall
// back to Reset, correct but slow).
func TestRewindReachesTheProgramCounter(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 2), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, 2, 3, 4}))))
	y, err := G.Square(x)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	if !rewindTape(m) {
		t.Fatal("rewindTape does not recognise Gorgonia's TapeMachine: its layout changed")
	}
	if err := m.RunAll(); err != nil {
		t.Fatalf("second run after Rewind: %v", err)
	}
	if got := y.Value().(*tensor.Dense).Float64s(); got[3] != 16 {
		t.Errorf("after Rewind the run gave %v, want [1 4 9 16]", got)
	}
	if rewindTape(G.NewLispMachine(g)) {
		t.Error("rewindTape accepted a LispMachine")
	}
}

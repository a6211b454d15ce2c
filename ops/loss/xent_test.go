package loss_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/optest"
	"github.com/spikegrad/spikegrad/ops/loss"
)

// xentRun returns the loss and its gradient with respect to the logits.
func xentRun(t *testing.T, dt tensor.Dtype, z, y []float64, cols int) (float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	rows := len(z) / cols
	zn := G.NewMatrix(g, dt, G.WithName("z"), G.WithValue(optest.Dense(dt, rows, cols, z)))
	yn := G.NewMatrix(g, dt, G.WithName("y"), G.WithValue(optest.Dense(dt, rows, cols, y)))
	xent, err := loss.SoftmaxCrossEntropy(zn, yn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(xent, zn); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(zn))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	gv, err := zn.Grad()
	if err != nil {
		t.Fatal(err)
	}
	l := xent.Value().Data()
	if f, ok := l.(float32); ok {
		return float64(f), optest.Float64s(gv)
	}
	return l.(float64), optest.Float64s(gv)
}

// TestSoftmaxCrossEntropy checks the loss against a direct formula, its
// gradient against finite differences, that padding rows are ignored, and
// that huge logits do not overflow.
func TestSoftmaxCrossEntropy(t *testing.T) {
	z := []float64{1, 2, 0.5, -1, 0, 3, 7, 7, 7}
	y := []float64{0, 1, 0, 0, 0, 1, 0, 0, 0} // third row is padding
	direct := func(z []float64) float64 {
		l := 0.0
		for r := 0; r < 2; r++ {
			row := z[3*r : 3*r+3]
			lse := math.Log(math.Exp(row[0]) + math.Exp(row[1]) + math.Exp(row[2]))
			for c := range row {
				l -= y[3*r+c] * (row[c] - lse)
			}
		}
		return l / 2
	}
	got, grad := xentRun(t, tensor.Float64, z, y, 3)
	if !optest.Close(got, direct(z), 1e-14) {
		t.Errorf("loss %v, want %v", got, direct(z))
	}
	for i := range z {
		zp, zm := append([]float64(nil), z...), append([]float64(nil), z...)
		zp[i] += 1e-6
		zm[i] -= 1e-6
		fd := (direct(zp) - direct(zm)) / 2e-6
		if math.Abs(grad[i]-fd) > 1e-8 {
			t.Errorf("dL/dz[%d] = %v, finite difference %v", i, grad[i], fd)
		}
	}
	for i := 6; i < 9; i++ {
		if grad[i] != 0 {
			t.Errorf("padding row gets gradient %v", grad[i])
		}
	}
	big := []float64{1000, -1000, 0, 0, 0, 0, 0, 0, 0}
	l32, _ := xentRun(t, tensor.Float32, big, y, 3)
	if math.IsNaN(l32) || math.IsInf(l32, 0) || !optest.Close(l32, (2000+math.Log(3))/2, 1e-5) {
		t.Errorf("float32 loss with large logits = %v, want %v", l32, (2000+math.Log(3))/2)
	}
}

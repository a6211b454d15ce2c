package loss_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/optest"
	"github.com/spikegrad/spikegrad/ops/loss"
)

// penaltyRun returns the penalty of x [3, 4] with row weights from w and its
// gradient with respect to x.
func penaltyRun(t *testing.T, dt tensor.Dtype, x, w []float64, build func(x, w *G.Node) (*G.Node, error)) (float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	xn := G.NewMatrix(g, dt, G.WithName("x"), G.WithValue(optest.Dense(dt, 3, 4, x)))
	wn := G.NewMatrix(g, dt, G.WithName("w"), G.WithValue(optest.Dense(dt, 3, 2, w)))
	p, err := build(xn, wn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(p, xn); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(xn))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	gv, _ := xn.Grad()
	v := p.Value().Data()
	if f, ok := v.(float32); ok {
		return float64(f), optest.Float64s(gv)
	}
	return v.(float64), optest.Float64s(gv)
}

// TestActivityPenalties checks both regularisers against their formulas,
// their gradients against finite differences, and that zero-weight
// (padding) rows neither count nor receive gradient.
func TestActivityPenalties(t *testing.T) {
	x := []float64{0, 1, 5, 2.5, 4, 4, 4, 4.5, 0, 0, 0, 0}
	w := []float64{1, 0, 0, 1, 0, 0} // rows 0 and 1 are samples, row 2 padding
	lower := func(x []float64) float64 {
		s := 0.0
		for r := 0; r < 2; r++ {
			for _, v := range x[4*r : 4*r+4] {
				s += 0.5 / 4 * math.Pow(math.Max(0, 3-v), 2)
			}
		}
		return s / 2
	}
	upper := func(L int) func([]float64) float64 {
		return func(x []float64) float64 {
			s := 0.0
			for r := 0; r < 2; r++ {
				mean := (x[4*r] + x[4*r+1] + x[4*r+2] + x[4*r+3]) / 4
				s += 0.3 * math.Pow(math.Max(0, mean-2), float64(L))
			}
			return s / 2
		}
	}
	cases := map[string]struct {
		build  func(x, w *G.Node) (*G.Node, error)
		direct func([]float64) float64
	}{
		"lower":   {func(x, w *G.Node) (*G.Node, error) { return loss.LowerBound(x, w, 0.5, 3) }, lower},
		"upper^1": {func(x, w *G.Node) (*G.Node, error) { return loss.UpperBound(x, w, 0.3, 2, 1) }, upper(1)},
		"upper^2": {func(x, w *G.Node) (*G.Node, error) { return loss.UpperBound(x, w, 0.3, 2, 2) }, upper(2)},
	}
	for name, c := range cases {
		for _, dt := range optest.Dtypes {
			v, g := penaltyRun(t, dt, x, w, c.build)
			if !optest.Close(v, c.direct(x), optest.Tol(dt)) || v == 0 {
				t.Errorf("%s %v: %v, want %v (non-zero)", name, dt, v, c.direct(x))
			}
			for i := range x {
				xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
				xp[i] += 1e-6
				xm[i] -= 1e-6
				fd := (c.direct(xp) - c.direct(xm)) / 2e-6
				if math.Abs(g[i]-fd) > 1e-6 {
					t.Errorf("%s %v: gradient[%d] = %v, finite difference %v", name, dt, i, g[i], fd)
				}
			}
		}
	}
	if _, err := loss.UpperBound(nil, nil, 1, 1, 0); err == nil {
		t.Error("exponent 0: want an error")
	}
}

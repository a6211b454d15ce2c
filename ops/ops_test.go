package ops_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/internal/optest"
	"github.com/spikegrad/spikegrad/surrogate"
)

// gradOf evaluates out = build(xs) and the gradient of Σ c⊙out with respect
// to every x, for fixed random weights c. It returns out and the gradients.
func gradOf(t *testing.T, dt tensor.Dtype, xs [][]float64, build func(xs ...*G.Node) (*G.Node, error)) ([]float64, [][]float64) {
	t.Helper()
	g := G.NewGraph()
	nodes := make(G.Nodes, len(xs))
	for i, x := range xs {
		nodes[i] = G.NewMatrix(g, dt, G.WithName(fmt.Sprintf("x%d", i)), G.WithValue(optest.Dense(dt, 2, len(x)/2, x)))
	}
	out, err := build(nodes...)
	if err != nil {
		t.Fatal(err)
	}
	c := make([]float64, len(xs[0]))
	for i := range c {
		c[i] = 0.5 + float64(i%5)
	}
	cn := G.NewMatrix(g, dt, G.WithName("c"), G.WithValue(optest.Dense(dt, 2, len(c)/2, c)))
	prod, err := G.HadamardProd(out, cn)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := G.Sum(prod)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(cost, nodes...)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(nodes...))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	var gs [][]float64
	for _, gr := range grads {
		gs = append(gs, optest.Float64s(gr.Value()))
	}
	return optest.Float64s(out.Value()), gs
}

// weight is the fixed cost weight c[i] that gradOf uses.
func weight(i int) float64 { return 0.5 + float64(i%5) }

func randVec(rng *rand.Rand, n int, lo, hi float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*rng.Float64()
	}
	return x
}

// TestSpikeForwardAndSurrogateBackward checks H(u − 1) with H(0) = 1, and
// that the backward pass is the incoming gradient times h(u − 1).
func TestSpikeForwardAndSurrogateBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	u := randVec(rng, 40, -1, 3)
	u[0], u[1] = 1, math.Nextafter(1, 0) // exactly at and just below threshold
	for _, dt := range optest.Dtypes {
		for _, name := range surrogate.ShapeNames() {
			shape, _ := surrogate.ParseShape(name)
			s := surrogate.Surrogate{Shape: shape, Beta: 7}
			out, grads := gradOf(t, dt, [][]float64{u}, func(x ...*G.Node) (*G.Node, error) { return ops.Spike(x[0], s) })
			for i, v := range u {
				uu := v
				if dt == tensor.Float32 {
					uu = float64(float32(v))
				}
				want := 0.0
				if uu >= 1 {
					want = 1
				}
				if out[i] != want {
					t.Fatalf("%v %v: S(%v) = %v, want %v", dt, s, uu, out[i], want)
				}
				if g := weight(i) * s.Deriv(uu-1); !optest.Close(grads[0][i], g, optest.Tol(dt)) {
					t.Fatalf("%v %v: dS/du at %v = %v, want %v", dt, s, uu, grads[0][i], g)
				}
			}
		}
	}
}

// TestDetachStopsGradient: out = Detach(x) + x must have gradient c, not 2c.
func TestDetachStopsGradient(t *testing.T) {
	x := randVec(rand.New(rand.NewPCG(3, 4)), 6, -1, 1)
	for _, dt := range optest.Dtypes {
		out, grads := gradOf(t, dt, [][]float64{x}, func(xs ...*G.Node) (*G.Node, error) {
			d, err := ops.Detach(xs[0])
			if err != nil {
				return nil, err
			}
			return G.Add(d, xs[0])
		})
		for i := range x {
			if !optest.Close(out[i], 2*x[i], optest.Tol(dt)) || !optest.Close(grads[0][i], weight(i), optest.Tol(dt)) {
				t.Fatalf("%v: Detach(x)+x = %v, grad %v; want %v, %v", dt, out[i], grads[0][i], 2*x[i], weight(i))
			}
		}
	}
}

// TestAxpbyScaleReset checks the forward values and gradients of the linear
// and reset ops against their closed forms.
func TestAxpbyScaleReset(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := randVec(rng, 8, -2, 2), randVec(rng, 8, -2, 2)
	s := []float64{0, 1, 1, 0, 0, 1, 0, 1}
	for _, dt := range optest.Dtypes {
		tol := optest.Tol(dt)
		out, g := gradOf(t, dt, [][]float64{x, y}, func(n ...*G.Node) (*G.Node, error) { return ops.Axpby(0.9, n[0], -0.3, n[1]) })
		for i := range x {
			if !optest.Close(out[i], 0.9*x[i]-0.3*y[i], tol) || !optest.Close(g[0][i], 0.9*weight(i), tol) || !optest.Close(g[1][i], -0.3*weight(i), tol) {
				t.Fatalf("%v Axpby element %d: %v %v %v", dt, i, out[i], g[0][i], g[1][i])
			}
		}
		out, g = gradOf(t, dt, [][]float64{x}, func(n ...*G.Node) (*G.Node, error) { return ops.Scale(-2.5, n[0]) })
		for i := range x {
			if !optest.Close(out[i], -2.5*x[i], tol) || !optest.Close(g[0][i], -2.5*weight(i), tol) {
				t.Fatalf("%v Scale element %d: %v %v", dt, i, out[i], g[0][i])
			}
		}
		out, g = gradOf(t, dt, [][]float64{x, s}, func(n ...*G.Node) (*G.Node, error) { return ops.Reset(n[0], n[1]) })
		for i := range x {
			if !optest.Close(out[i], x[i]*(1-s[i]), tol) || !optest.Close(g[0][i], weight(i)*(1-s[i]), tol) || !optest.Close(g[1][i], -weight(i)*x[i], tol) {
				t.Fatalf("%v Reset element %d: %v %v %v", dt, i, out[i], g[0][i], g[1][i])
			}
		}
	}
}

func TestSumOfNodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	xs := [][]float64{randVec(rng, 6, -1, 1), randVec(rng, 6, -1, 1), randVec(rng, 6, -1, 1)}
	for _, dt := range optest.Dtypes {
		out, g := gradOf(t, dt, xs, func(n ...*G.Node) (*G.Node, error) { return ops.Sum(n...) })
		for i := range xs[0] {
			if !optest.Close(out[i], xs[0][i]+xs[1][i]+xs[2][i], optest.Tol(dt)) {
				t.Fatalf("%v sum element %d = %v", dt, i, out[i])
			}
			for k := range xs {
				if !optest.Close(g[k][i], weight(i), optest.Tol(dt)) {
					t.Fatalf("%v gradient of input %d element %d = %v", dt, k, i, g[k][i])
				}
			}
		}
	}
	if _, err := ops.Sum(); err == nil {
		t.Error("Sum of no nodes: want an error")
	}
}

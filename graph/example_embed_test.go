package graph_test

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/surrogate"
)

// embedded is a caller's own model around an LIF layer: four input
// neurons, a layer of eight LIF neurons (recurrent if rec), a leaky readout
// of two units and a squared-error loss of the caller's choosing on its
// maximum over time. The inputs are bound by the caller (dense tensors or
// lif.Events).
type embedded struct {
	g       *G.ExprGraph
	in      []*G.Node
	learn   G.Nodes
	loss    *G.Node
	logits  *G.Node
	hidden  *graph.Layer
	targets *G.Node
}

func newEmbedded(rec bool) *embedded {
	const T, inputs, units, outputs = 30, 4, 8, 2
	e := &embedded{g: G.NewGraph()}
	for n := 0; n < T; n++ {
		e.in = append(e.in, G.NewMatrix(e.g, tensor.Float64, G.WithShape(1, inputs), G.WithName(fmt.Sprintf("x%d", n))))
	}
	weights := func(name string, rows, cols int, scale float64) *G.Node {
		vals := make([]float64, rows*cols)
		for i := range vals {
			vals[i] = scale * math.Sin(float64(3*i+rows)) // deterministic, mixed signs
		}
		return G.NewMatrix(e.g, tensor.Float64, G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(vals))))
	}
	w, wo := weights("W", inputs, units, 4), weights("Wout", units, outputs, 1)
	var v *G.Node
	e.learn = G.Nodes{w, wo}
	if rec {
		v = weights("V", units, units, 0.5)
		e.learn = append(e.learn, v)
	}
	cfg := graph.LIFConfig{BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10),
		Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10}}
	var err error
	if e.hidden, err = graph.LIF(e.in, w, v, cfg); err != nil {
		panic(err)
	}
	out, err := graph.LeakyReadout(e.hidden.Spikes, wo, graph.ReadoutConfig{BetaSyn: cfg.BetaSyn, BetaOut: math.Exp(-1.0 / 20)})
	if err != nil {
		panic(err)
	}
	e.logits = out.Logits
	// The caller's loss, from Gorgonia's own ops.
	e.targets = G.NewMatrix(e.g, tensor.Float64, G.WithName("target"),
		G.WithValue(tensor.New(tensor.WithShape(1, outputs), tensor.WithBacking([]float64{0.8, 0}))))
	diff, err := G.Sub(out.Logits, e.targets)
	if err != nil {
		panic(err)
	}
	sq, err := G.Square(diff)
	if err != nil {
		panic(err)
	}
	if e.loss, err = G.Mean(sq); err != nil {
		panic(err)
	}
	if _, err = G.Grad(e.loss, e.learn...); err != nil {
		panic(err)
	}
	return e
}

// spikeTimes is the input: input neuron i fires at steps i, i+5, i+10.
func spikeTimes(i, n int) bool { return n >= i && (n-i)%5 == 0 && n < 15 }

// train runs steps of Adam with a TapeMachine and returns the first and
// the last loss.
func (e *embedded) train(steps int) (first, last float64) {
	m := G.NewTapeMachine(e.g, G.BindDualValues(e.learn...))
	defer m.Close()
	solver := G.NewAdamSolver(G.WithLearnRate(0.02))
	for k := 0; k < steps; k++ {
		if err := m.RunAll(); err != nil {
			panic(err)
		}
		last = e.loss.Value().Data().(float64)
		if k == 0 {
			first = last
		}
		if err := solver.Step(G.NodesToValueGrads(e.learn)); err != nil {
			panic(err)
		}
		m.Reset()
	}
	return first, last
}

// An LIF layer inside a caller's own Gorgonia model, trained with the
// caller's loss (squared error on the readout's maximum), Gorgonia's
// TapeMachine and its Adam solver.
func ExampleLIF_training() {
	e := newEmbedded(false)
	for n, x := range e.in {
		d := make([]float64, 4)
		for i := range d {
			if spikeTimes(i, n) {
				d[i] = 1
			}
		}
		if err := G.Let(x, tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(d))); err != nil {
			panic(err)
		}
	}
	first, last := e.train(60)
	fmt.Printf("loss %.3f → %.3f\n", first, last)
	fmt.Println("fell tenfold:", last < first/10)
	// Output:
	// loss 0.231 → 0.000
	// fell tenfold: true
}

// The same layer fed with sparse input: each step's input bound as
// lif.Events, the non-zero entries only. The gradients, and so the
// training, are the same as with dense tensors.
func ExampleLIF_events() {
	e := newEmbedded(false)
	for n, x := range e.in {
		ev, err := lif.NewEvents(tensor.Float64, 1, 4)
		if err != nil {
			panic(err)
		}
		for i := 0; i < 4; i++ {
			if spikeTimes(i, n) {
				if err := ev.Add(0, i, 1); err != nil {
					panic(err)
				}
			}
		}
		if err := G.Let(x, ev); err != nil {
			panic(err)
		}
	}
	first, last := e.train(60)
	fmt.Printf("loss %.3f → %.3f\n", first, last)
	// Output:
	// loss 0.231 → 0.000
}

// A recurrent layer: pass the [units, units] matrix V; its gradient comes
// with the others.
func ExampleLIF_recurrent() {
	e := newEmbedded(true)
	for n, x := range e.in {
		d := make([]float64, 4)
		for i := range d {
			if spikeTimes(i, n) {
				d[i] = 1
			}
		}
		if err := G.Let(x, tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(d))); err != nil {
			panic(err)
		}
	}
	first, last := e.train(60)
	fmt.Println("learns V too:", len(e.learn) == 3)
	fmt.Println("fell tenfold:", last < first/10)
	// Output:
	// learns V too: true
	// fell tenfold: true
}

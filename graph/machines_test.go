package graph_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	gonumgraph "gonum.org/v1/gonum/graph"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/internal/tape"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops/loss"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Several machines compiled from one graph: spikegrad's ops keep no state
// that one machine's run could change under another's.

// sharedNet is a recurrent network with its loss and gradients in one
// graph, its inputs (dense or Events) bound by the caller.
type sharedNet struct {
	g       *G.ExprGraph
	in      []*G.Node
	targets *G.Node
	learn   G.Nodes
	grads   G.Nodes
	loss    *G.Node
	logits  *G.Node
	counts  *G.Node
	cfg     refConfig
}

func newSharedNet(t *testing.T, fused bool) (*sharedNet, refWeights) {
	t.Helper()
	cfg := tieConfig(true)
	cfg.Hidden = []int{6, 5}
	w, _, _, _ := activeCase(t, cfg, 3, binaryInputs)
	s := &sharedNet{g: G.NewGraph(), cfg: cfg}
	const B = 3
	for n := 0; n < cfg.Steps; n++ {
		s.in = append(s.in, G.NewMatrix(s.g, tensor.Float64, G.WithName(fmt.Sprintf("in%d", n)), G.WithShape(B, cfg.Inputs)))
	}
	sizes := []int{cfg.Inputs, 6, 5, cfg.Outputs}
	var wts weightNodes
	for l := range w.W {
		wts.W = append(wts.W, matrixNode(s.g, fmt.Sprintf("W%d", l), w.W[l], sizes[l], sizes[l+1]))
	}
	for l, h := range cfg.Hidden {
		wts.V = append(wts.V, matrixNode(s.g, fmt.Sprintf("V%d", l), w.V[l], h, h))
	}
	net, err := graph.Build(s.in, graph.LIFNeuron{
		LIF: graph.LIFConfig{BetaSyn: cfg.BetaSyn, BetaMem: cfg.BetaMem,
			Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: cfg.Beta}, Fused: fused},
		Out: graph.ReadoutConfig{BetaSyn: cfg.BetaSyn, BetaOut: cfg.BetaOut},
	}, wts.layers(), network.MaxOverTime)
	if err != nil {
		t.Fatal(err)
	}
	s.targets = G.NewMatrix(s.g, tensor.Float64, G.WithName("targets"), G.WithShape(B, cfg.Outputs))
	if s.loss, err = loss.SoftmaxCrossEntropy(net.Out.Logits, s.targets); err != nil {
		t.Fatal(err)
	}
	s.logits, s.counts = net.Out.Logits, net.Hidden[1].Count
	s.learn = append(append(G.Nodes{}, wts.W...), wts.V...)
	if s.grads, err = G.Grad(s.loss, s.learn...); err != nil {
		t.Fatal(err)
	}
	return s, w
}

// batch returns the input values of round k: a different batch each round,
// as dense tensors or as Events.
func (s *sharedNet) batch(t *testing.T, k int, events bool) (map[*G.Node]G.Value, []float64) {
	t.Helper()
	_, x, labels := gradCase(s.cfg, uint64(1000+k), binaryInputs)
	vals := map[*G.Node]G.Value{}
	g := G.NewGraph()
	for n, node := range s.in {
		vals[node] = inputNode(t, g, "x", x, n, s.cfg.Inputs, events).Value()
	}
	onehot := make([]float64, len(labels)*s.cfg.Outputs)
	for b, c := range labels {
		onehot[b*s.cfg.Outputs+c] = 1
	}
	vals[s.targets] = tensor.New(tensor.WithShape(len(labels), s.cfg.Outputs), tensor.WithBacking(onehot))
	return vals, onehot
}

// interpreter runs the nodes of a graph in topological order with values
// of its own, reusing its previous run's tensors as a TapeMachine does: a
// machine that shares nothing with other machines but the graph's ops, the
// weights and nothing Gorgonia binds to nodes, so it can run concurrently
// with others under the race detector.
type interpreter struct {
	order G.Nodes
	vals  map[*G.Node]G.Value
}

func newInterpreter(t *testing.T, g *G.ExprGraph) *interpreter {
	t.Helper()
	sorted, err := G.Sort(g)
	if err != nil {
		t.Fatal(err)
	}
	in := &interpreter{vals: map[*G.Node]G.Value{}}
	for i := len(sorted) - 1; i >= 0; i-- {
		in.order = append(in.order, sorted[i])
	}
	return in
}

func (m *interpreter) run(inputs map[*G.Node]G.Value) error {
	for _, n := range m.order {
		if v, ok := inputs[n]; ok {
			m.vals[n] = v
			continue
		}
		if n.Op() == nil {
			m.vals[n] = n.Value() // weights and constants
			continue
		}
		children := gonumgraph.NodesOf(n.Graph().From(n.ID()))
		args := make([]G.Value, len(children))
		for i, c := range children {
			args[i] = m.vals[c.(*G.Node)]
		}
		var v G.Value
		var err error
		if p, ok := n.Op().(G.UsePreallocDoer); ok && m.vals[n] != nil && n.Op().OverwritesInput() < 0 && !n.Op().ReturnsPtr() {
			v, err = p.UsePreallocDo(m.vals[n], args...)
		} else {
			v, err = n.Op().Do(args...)
		}
		if err != nil {
			return fmt.Errorf("%v: %w", n, err)
		}
		m.vals[n] = v
	}
	return nil
}

// snapshot copies the values of nodes out of the interpreter.
func (m *interpreter) snapshot(nodes ...*G.Node) [][]float64 {
	var out [][]float64
	for _, n := range nodes {
		out = append(out, copyOf(m.vals[n]))
	}
	return out
}

func copyOf(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case float64:
		return []float64{d}
	case []float64:
		return append([]float64(nil), d...)
	}
	panic(fmt.Sprintf("unexpected value %T", v))
}

func maxDiff(a, b [][]float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, relErr(a[i], b[i]))
	}
	return d
}

// TestMachinesRunConcurrently runs two interpreters of one graph on
// different batches at the same time, 20 rounds, and compares every
// output (loss, logits, spike counts, gradients) with a lone interpreter's.
// Run it with -race: the ops' indexes belong to the tensors they index.
func TestMachinesRunConcurrently(t *testing.T) {
	for _, fused := range []bool{false, true} {
		for _, events := range []bool{false, true} {
			t.Run(fmt.Sprintf("fused=%t/events=%t", fused, events), func(t *testing.T) {
				s, _ := newSharedNet(t, fused)
				outs := append(G.Nodes{s.loss, s.logits, s.counts}, s.grads...)
				lone := newInterpreter(t, s.g)
				const rounds = 20
				want := make([][][]float64, 2*rounds)
				batches := make([]map[*G.Node]G.Value, 2*rounds)
				for k := range batches {
					batches[k], _ = s.batch(t, k, events)
					if err := lone.run(batches[k]); err != nil {
						t.Fatal(err)
					}
					want[k] = lone.snapshot(outs...)
				}
				ms := []*interpreter{newInterpreter(t, s.g), newInterpreter(t, s.g)}
				for r := 0; r < rounds; r++ {
					var wg sync.WaitGroup
					errs := make([]error, 2)
					for i, m := range ms {
						wg.Add(1)
						go func() {
							defer wg.Done()
							errs[i] = m.run(batches[2*r+i])
						}()
					}
					wg.Wait()
					for i, m := range ms {
						if errs[i] != nil {
							t.Fatalf("round %d, machine %d: %v", r, i, errs[i])
						}
						if d := maxDiff(m.snapshot(outs...), want[2*r+i]); d > 1e-12 {
							t.Errorf("round %d, machine %d: outputs differ from a lone machine's by %.3g", r, i, d)
						}
					}
				}
			})
		}
	}
}

// TestTapeMachinesAlternate compiles a training machine (loss and
// gradients) and an evaluation machine (logits only) from one graph and
// runs them alternately on different batches, 20 times each; each must give
// what a lone machine of its kind gives.
func TestTapeMachinesAlternate(t *testing.T) {
	for _, fused := range []bool{false, true} {
		t.Run(fmt.Sprintf("fused=%t", fused), func(t *testing.T) {
			s, _ := newSharedNet(t, fused)
			lone := newInterpreter(t, s.g)
			trainOuts := append(G.Nodes{s.loss}, s.grads...)
			prog, locs, err := G.CompileFunction(s.g, s.learn, append(append(G.Nodes{}, trainOuts...), s.logits, s.counts))
			if err != nil {
				t.Fatal(err)
			}
			train := G.NewTapeMachine(s.g, G.WithPrecompiled(prog, locs), G.BindDualValues(s.learn...))
			defer train.Close()
			eprog, elocs, err := G.CompileFunction(s.g, s.learn, G.Nodes{s.logits, s.counts})
			if err != nil {
				t.Fatal(err)
			}
			eval := G.NewTapeMachine(s.g, G.WithPrecompiled(eprog, elocs))
			defer eval.Close()
			for k := 0; k < 40; k++ {
				vals, _ := s.batch(t, k, k%3 == 0)
				if err := lone.run(vals); err != nil {
					t.Fatal(err)
				}
				for n, v := range vals {
					if err := G.Let(n, v); err != nil {
						t.Fatal(err)
					}
				}
				var got [][]float64
				if k%2 == 0 {
					if err := train.RunAll(); err != nil {
						t.Fatal(err)
					}
					got = append(got, copyOf(s.loss.Value()))
					for _, n := range s.learn {
						gv, err := n.Grad()
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, copyOf(gv))
						clear(gv.Data().([]float64))
					}
					train.Reset()
					if d := maxDiff(got, lone.snapshot(trainOuts...)); d > 1e-12 {
						t.Errorf("run %d (training machine): differs from a lone machine by %.3g", k, d)
					}
					continue
				}
				if err := eval.RunAll(); err != nil {
					t.Fatal(err)
				}
				got = [][]float64{copyOf(s.logits.Value()), copyOf(s.counts.Value())}
				tape.Rewind(eval)
				if d := maxDiff(got, lone.snapshot(s.logits, s.counts)); d > 1e-12 {
					t.Errorf("run %d (evaluation machine): differs from a lone machine by %.3g", k, d)
				}
			}
		})
	}
}

// TestGradTwice calls G.Grad twice on one cost: the second call must give
// the same gradients as the first.
func TestGradTwice(t *testing.T) {
	for _, fused := range []bool{false, true} {
		t.Run(fmt.Sprintf("fused=%t", fused), func(t *testing.T) {
			s, _ := newSharedNet(t, fused)
			again, err := G.Grad(s.loss, s.learn...)
			if err != nil {
				t.Fatalf("second G.Grad: %v", err)
			}
			m := newInterpreter(t, s.g)
			vals, _ := s.batch(t, 0, false)
			if err := m.run(vals); err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(m.snapshot(again...), m.snapshot(s.grads...)); d != 0 {
				t.Errorf("second G.Grad's gradients differ from the first's by %.3g", d)
			}
		})
	}
}

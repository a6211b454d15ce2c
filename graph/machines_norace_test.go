//go:build !race

package graph_test

import (
	"fmt"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestTapeMachinesConcurrently runs a training machine (loss and
// gradients) and an evaluation machine (logits and spike counts), compiled
// from one graph, at the same time, 20 rounds on a new batch each, and
// compares what they computed with a lone machine's. Both read the batch
// the inputs are bound to (Gorgonia binds inputs per node), and Gorgonia
// writes every value it computes into the node, from both machines: the
// race detector reports those writes, which are Gorgonia's, so this test
// runs without it (TestMachinesRunConcurrently checks the ops under it).
func TestTapeMachinesConcurrently(t *testing.T) {
	for _, fused := range []bool{false, true} {
		t.Run(fmt.Sprintf("fused=%t", fused), func(t *testing.T) {
			s, _ := newSharedNet(t, fused)
			lone := newInterpreter(t, s.g)
			prog, locs, err := G.CompileFunction(s.g, s.learn, append(append(G.Nodes{s.loss}, s.grads...), s.logits, s.counts))
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
			for r := 0; r < 20; r++ {
				vals, _ := s.batch(t, r, r%2 == 1)
				if err := lone.run(vals); err != nil {
					t.Fatal(err)
				}
				for n, v := range vals {
					if err := G.Let(n, v); err != nil {
						t.Fatal(err)
					}
				}
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for i, m := range []G.VM{train, eval} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						errs[i] = m.RunAll()
					}()
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Fatalf("round %d, machine %d: %v", r, i, err)
					}
				}
				got := [][]float64{copyOf(s.loss.Value()), copyOf(s.logits.Value()), copyOf(s.counts.Value())}
				for _, n := range s.learn {
					gv, err := n.Grad()
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, copyOf(gv))
					clear(gv.Data().([]float64))
				}
				want := lone.snapshot(append(G.Nodes{s.loss, s.logits, s.counts}, s.grads...)...)
				if d := maxDiff(got, want); d > 1e-12 {
					t.Errorf("round %d: the machines' results differ from a lone machine's by %.3g", r, d)
				}
				train.Reset()
				eval.Reset()
			}
		})
	}
}

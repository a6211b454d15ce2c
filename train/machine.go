package train

import (
	"fmt"
	"sync"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/internal/tape"
)

// This file is where the engine meets the machinery of packages graph and
// ops: how a program is compiled, and how the replicas of a training step
// share the cores. Nothing else in the package calls them.

// machine compiles the part of g that outputs need into a TapeMachine.
// Programs of different graphs may be compiled at once, on different cores
// (the compilation is most of the time it takes to build a program):
// Gorgonia's compiler reads nothing but its graph. NewTapeMachine, though,
// sets the engine of every value bound to the graph, the weight tensors
// that the graphs of one network share among them, so machines are made
// one at a time.
func machine(g *G.ExprGraph, inputs, outputs G.Nodes, opts ...G.VMOpt) (G.VM, error) {
	prog, locs, err := G.CompileFunction(g, inputs, outputs)
	if err != nil {
		return nil, fmt.Errorf("train: compile: %w", err)
	}
	newMachine.Lock()
	defer newMachine.Unlock()
	// Reusable: Reset keeps the tensors, so a run fills the previous run's.
	return tape.Reusable(G.NewTapeMachine(g, append([]G.VMOpt{G.WithPrecompiled(prog, locs)}, opts...)...)), nil
}

// newMachine serialises G.NewTapeMachine (see machine).
var newMachine sync.Mutex

// parallel runs fn(0), …, fn(n−1) at once and returns their errors. Each
// call is one replica's whole program, built with one thread for its
// kernels (models.Threads), so that each replica keeps to its own core.
func parallel(n int, fn func(k int) error) []error {
	errs := make([]error, n)
	if n == 1 {
		errs[0] = fn(0)
		return errs
	}
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			errs[k] = fn(k)
		}(k)
	}
	wg.Wait()
	return errs
}

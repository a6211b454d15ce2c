package train

import (
	"fmt"
	"sync"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/internal/tape"
)

// This file is where the engine meets the machinery of packages graph and
// ops: how a program is compiled. Nothing else in the package calls it.

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
	// An empty watch list marks every instruction as watched, which the
	// machine, without a logger, logs nowhere; otherwise it looks up every
	// instruction's node and input registers in its watch lists before
	// each run of it and of each of its inputs.
	opts = append([]G.VMOpt{G.WithPrecompiled(prog, locs), G.WithWatchlist()}, opts...)
	return tape.Reusable(G.NewTapeMachine(g, opts...)), nil
}

// newMachine serialises G.NewTapeMachine (see machine).
var newMachine sync.Mutex

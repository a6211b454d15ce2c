package train

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/internal/tape"
)

// This file is where the engine meets the machinery of packages graph and
// ops: how a program is compiled. Nothing else in the package calls it.

// machine compiles the part of g that outputs need into a TapeMachine.
func machine(g *G.ExprGraph, inputs, outputs G.Nodes, opts ...G.VMOpt) (G.VM, error) {
	prog, locs, err := G.CompileFunction(g, inputs, outputs)
	if err != nil {
		return nil, fmt.Errorf("train: compile: %w", err)
	}
	// Reusable: Reset keeps the tensors, so a run fills the previous run's.
	return tape.Reusable(G.NewTapeMachine(g, append([]G.VMOpt{G.WithPrecompiled(prog, locs)}, opts...)...)), nil
}

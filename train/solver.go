package train

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/train/internal/adamstate"
)

// Adam sets Gorgonia's AdamSolver, the default solver. A zero β₁, β₂ or ε
// takes Gorgonia's default (0.9, 0.999, 1e-8); the learning rate has none.
type Adam struct {
	LR           float64 // learning rate η
	Beta1, Beta2 float64 // decay of the first and second moment estimates
	Eps          float64 // ε added to the root of the second moment
}

// Schedule gives the learning rate of optimisation step t, counted from 1
// over the whole run (a resumed run goes on counting).
type Schedule func(t int) float64

// Optimizer chooses how a Trainer updates the weights.
type Optimizer struct {
	// Adam sets the default solver.
	Adam Adam
	// Solver, if set, is used instead of Adam: any gorgonia.Solver, such
	// as G.NewRMSPropSolver(…) or one of your own. It is stepped with the
	// weights in models.Weights.All order. Only Adam's state can be saved
	// for an exact resumption.
	Solver G.Solver
	// Schedule, if set, sets the learning rate before every step through
	// G.WithLearnRate, which Gorgonia's own solvers understand.
	Schedule Schedule
}

// DefaultOptimizer is Adam with learning rate lr and Gorgonia's defaults.
func DefaultOptimizer(lr float64) Optimizer { return Optimizer{Adam: Adam{LR: lr}} }

func (o Optimizer) validate() error {
	if o.Solver != nil {
		return nil
	}
	a := o.Adam
	switch {
	case o.Schedule == nil && (!(a.LR > 0) || math.IsInf(a.LR, 0)):
		return fmt.Errorf("train: learning rate must be a positive number, got %g", a.LR)
	case !(a.Beta1 >= 0 && a.Beta1 < 1) || !(a.Beta2 >= 0 && a.Beta2 < 1):
		return fmt.Errorf("train: Adam β₁ and β₂ must lie in [0, 1), got %g and %g", a.Beta1, a.Beta2)
	case !(a.Eps >= 0) || math.IsInf(a.Eps, 0):
		return fmt.Errorf("train: Adam ε must be a finite number ≥ 0, got %g", a.Eps)
	}
	return nil
}

// solver returns the configured solver.
func (o Optimizer) solver() G.Solver {
	if o.Solver != nil {
		return o.Solver
	}
	opts := []G.SolverOpt{G.WithLearnRate(o.Adam.LR)}
	if o.Adam.Beta1 != 0 {
		opts = append(opts, G.WithBeta1(o.Adam.Beta1))
	}
	if o.Adam.Beta2 != 0 {
		opts = append(opts, G.WithBeta2(o.Adam.Beta2))
	}
	if o.Adam.Eps != 0 {
		opts = append(opts, G.WithEps(o.Adam.Eps))
	}
	return G.NewAdamSolver(opts...)
}

// SolverState is the progress of the Adam solver: what a checkpoint must
// hold so that training continues exactly where it stopped.
type SolverState struct {
	Step int // optimisation steps taken
	// M and V are Adam's first and second moment estimates, one per
	// weight matrix in models.Weights.All order; nil before the first step.
	M, V []*tensor.Dense
}

// SolverState returns a copy of the solver's progress. Only Adam's can be
// read.
func (t *Trainer) SolverState() (SolverState, error) {
	a, ok := t.solver.(*G.AdamSolver)
	if !ok {
		return SolverState{}, fmt.Errorf("train: the state of solver %T cannot be saved; only Adam's can", t.solver)
	}
	st, err := adamstate.Get(a)
	return SolverState{Step: st.Step, M: st.M, V: st.V}, err
}

// SetSolverState makes the solver continue from st, as if it had taken
// st.Step steps with these moments.
func (t *Trainer) SetSolverState(st SolverState) error {
	a, ok := t.solver.(*G.AdamSolver)
	if !ok {
		return fmt.Errorf("train: the state of solver %T cannot be restored; only Adam's can", t.solver)
	}
	if st.Step > 0 {
		w := t.Weights.All()
		if len(st.M) != len(w) || len(st.V) != len(w) {
			return fmt.Errorf("train: solver state holds %d and %d moments for %d weight matrices", len(st.M), len(st.V), len(w))
		}
		names := t.Weights.Names()
		for i, m := range w {
			for _, mo := range []*tensor.Dense{st.M[i], st.V[i]} {
				if mo == nil || !mo.Shape().Eq(m.Shape()) || mo.Dtype() != m.Dtype() {
					return fmt.Errorf("train: solver state of %s does not match its weights %v %v", names[i], m.Shape(), m.Dtype())
				}
			}
		}
	}
	if err := adamstate.Set(a, adamstate.State{Step: st.Step, M: st.M, V: st.V}); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	t.steps = st.Step
	return nil
}

package models

// PSPKernel returns ε[k], k = 0 … Steps−1: the membrane potential of a hidden
// neuron k steps after a unit input at step 0, without spike or reset. The
// free membrane potential is the input convolved with it, which is what a
// fluctuation-driven initialisation needs to know about the dynamics.
func PSPKernel(s Spec) []float64 {
	c := Config(s).LIF
	eps := make([]float64, s.Steps)
	cur, pot := 0.0, 0.0 // I[k], U[k]
	for k := range eps {
		eps[k] = pot
		pot = c.BetaMem*pot + (1-c.BetaMem)*cur
		if k == 0 {
			cur = 1 // the input at step 0 reaches I[1]
		} else {
			cur *= c.BetaSyn
		}
	}
	return eps
}

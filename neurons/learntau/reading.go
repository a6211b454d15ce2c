package learntau

import "github.com/spikegrad/spikegrad/network"

// Reading returns the time constants in ms that θ stands for: τ_mem or
// τ_syn of a hidden layer, or the readout's (its membrane constant is
// tau-readout).
func (Neuron) Reading(s network.Spec, p network.Param, theta []float64) (string, []float64) {
	set, label := s.TauSyn, "τ_syn (ms)"
	if p.Base == "theta_mem" {
		set, label = s.TauMem, "τ_mem (ms)"
		if p.Layer == len(s.Hidden) {
			set, label = s.TauReadout, "τ_readout (ms)"
		}
	}
	out := make([]float64, len(theta))
	for i, t := range theta {
		out[i] = Tau(set, t)
	}
	return label, out
}

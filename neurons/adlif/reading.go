package adlif

import (
	"math"

	"github.com/spikegrad/spikegrad/network"
)

// Reading returns what the logits stand for: the decays α and ρ as the
// time constants τ_u and τ_w in ms (τ = −Δt / ln of the decay), a and b
// as they are.
func (Neuron) Reading(s network.Spec, p network.Param, theta []float64) (string, []float64) {
	i := 0
	for i < nParams && paramNames[i] != p.Base {
		i++
	}
	if i == nParams {
		return p.Base, theta
	}
	r := RangesOf(s)
	out := make([]float64, len(theta))
	for k, t := range theta {
		out[k] = r.Value(i, t)
		if i == Alpha || i == Rho {
			out[k] = -s.DT / math.Log(out[k])
		}
	}
	return [nParams]string{"τ_u (ms)", "τ_w (ms)", "a", "b"}[i], out
}

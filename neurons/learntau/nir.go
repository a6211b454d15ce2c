package learntau

import (
	"fmt"
	"math"

	"github.com/spikegrad/spikegrad/network"
)

// CubaLIF says that NIR's CubaLIF and CubaLI describe the model's layers,
// with one time constant of each kind per neuron (nir.TauNeuron).
func (Neuron) CubaLIF() {}

// Taus returns the membrane and synaptic time constants, in ms, of the
// neurons of layer l of s (len(s.Hidden): the readout, whose membrane
// constant is scaled from τ_readout) for the layer's parameters
// [θ_mem, θ_syn] as Params lists them.
func (Neuron) Taus(s network.Spec, l int, theta [][]float64) (mem, syn []float64, err error) {
	if len(theta) != 2 || len(theta[0]) != len(theta[1]) {
		return nil, nil, fmt.Errorf("%s: layer %d: want θ_mem and θ_syn of one length", Name, l)
	}
	tauMem := s.TauMem
	if l == len(s.Hidden) {
		tauMem = s.TauReadout
	}
	mem, syn = make([]float64, len(theta[0])), make([]float64, len(theta[1]))
	for i := range mem {
		mem[i], syn[i] = Tau(tauMem, theta[0][i]), Tau(s.TauSyn, theta[1][i])
	}
	return mem, syn, nil
}

// Theta inverts Tau: the θ with Tau(tauSet, θ) = tau. tau must lie
// within a factor e^Spread of tauSet, where tanh is invertible; the bounds
// themselves only as far as rounding makes them reachable (a saturated θ).
func Theta(tauSet, tau float64) (float64, error) {
	if !(tau > 0) || math.IsInf(tau, 0) {
		return 0, fmt.Errorf("time constant %g: want a positive number", tau)
	}
	x := math.Log(tau/tauSet) / Spread
	theta := Spread * math.Atanh(x)
	if !(math.Abs(x) < 1) || math.IsInf(theta, 0) {
		return 0, fmt.Errorf("time constant %g is not within a factor %.3g of %g, the range of the learnt τ", tau, math.Exp(Spread), tauSet)
	}
	return theta, nil
}

package nir

import (
	"fmt"
	"math"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
)

// The import builds a learntau network when a file's time constants differ
// between neurons or layers, so the model is registered wherever NIR files
// are read (registering it again, as the commands do, replaces it by
// itself).
func init() {
	network.Register(learntau.Neuron{})
	network.Register(learntau.Neuron{Gamma: true})
}

// learnTau sets net up as a learntau network (neuron model, τ_set of the
// settings) for the per-neuron decays of ps, hidden layers then the
// readout, and returns each layer's θ_mem and θ_syn in Params order.
//
// The file's τ are Euler-matched (τ_file = Δt/(1 − β)); the neuron's own
// is τ = −Δt/ln β, its θ the inverse of learntau.Tau for the τ_set of its
// kind: spikegrad's recorded one (spikegrad_tau_*) when every τ of the
// kind lies in its range, else the geometric mean of the kind's shortest
// and longest τ, which fits any spread below learntau's factor of 100.
// differ, if not nil, says why the LIF cannot hold the file; name is the
// metadata's spikegrad_neuron, if named.
func learnTau(net *Network, ps []neuronParams, meta map[string]Value, dt float64, name Value, named bool, differ error) ([][]float64, error) {
	s := &net.Spec
	s.Neuron = learntau.Name
	if named {
		if v := name.String(); !name.IsString || v != learntau.Name && v != learntau.GammaName {
			return nil, fmt.Errorf("metadata: %s = %.40q: want %s or %s", metaNeuron, v, learntau.Name, learntau.GammaName)
		}
		s.Neuron = name.Str
	}
	disc, err := s.LayerDiscretisations()
	if err != nil {
		return nil, err
	}
	for _, d := range disc {
		if d == network.Paper {
			continue
		}
		if differ == nil {
			differ = fmt.Errorf("metadata: %s = %s", metaNeuron, s.Neuron)
		}
		return nil, fmt.Errorf("%w: per-neuron time constants are read as neuron %s, which steps by the paper's discretisation, "+
			"and this file runs by %s (a file from another library does; --discretisation paper reads it the paper's way)", differ, learntau.Name, d)
	}
	dtMS := dt
	if v, ok := meta[metaDTms]; ok {
		if v.IsString || !(v.Num > 0) || math.IsInf(v.Num, 0) {
			return nil, fmt.Errorf("metadata: %s = %v, want a positive number", metaDTms, v)
		}
		dtMS = v.Num
	}
	s.DT = dtMS
	// A time constant of the file and where it is.
	type at struct {
		layer, i int
		field    string
		file     float64 // as stored
		tau      float64 // the neuron's, in ms
	}
	L := len(ps) - 1
	kinds := []struct {
		key   string
		dst   *float64
		taus  []at
		theta int // 0: θ_mem, 1: θ_syn
	}{{key: metaTauMem, dst: &s.TauMem}, {key: metaTauSyn, dst: &s.TauSyn, theta: 1}, {key: metaTauReadout, dst: &s.TauReadout}}
	for l, p := range ps {
		mem := 0
		if l == L {
			mem = 2
		}
		for i := range p.betaMem {
			// τ = −Δt/ln β with β = 1 − dt/τ_file, by log1p for the
			// β near 1 of long time constants.
			kinds[mem].taus = append(kinds[mem].taus, at{l, i, "tau_mem", p.tauMem[i], -dtMS / math.Log1p(-dt/p.tauMem[i])})
			kinds[1].taus = append(kinds[1].taus, at{l, i, "tau_syn", p.tauSyn[i], -dtMS / math.Log1p(-dt/p.tauSyn[i])})
		}
	}
	theta := make([][]float64, 2*len(ps))
	for l, p := range ps {
		theta[2*l], theta[2*l+1] = make([]float64, len(p.betaMem)), make([]float64, len(p.betaSyn))
	}
	exact := true
	for _, k := range kinds {
		if len(k.taus) == 0 { // τ_mem of a network without hidden layers
			if v, ok := meta[k.key]; ok && !v.IsString && v.Num > 0 && !math.IsInf(v.Num, 0) {
				*k.dst = v.Num
			}
			continue
		}
		fits := func(set float64) bool {
			for _, t := range k.taus {
				if _, err := learntau.Theta(set, t.tau); err != nil {
					return false
				}
			}
			return true
		}
		var set float64
		if v, ok := meta[k.key]; ok && !v.IsString && fits(v.Num) {
			set = v.Num
		} else {
			exact = false
			lo, hi := k.taus[0], k.taus[0]
			for _, t := range k.taus {
				if t.tau < lo.tau {
					lo = t
				}
				if t.tau > hi.tau {
					hi = t
				}
			}
			set = math.Sqrt(lo.tau * hi.tau)
			if !fits(set) {
				return nil, fmt.Errorf("%s: field %s: %g at %d against %s's %s %g at %d: their neurons' τ, %.4g and %.4g ms, are a factor %.4g apart, "+
					"and neuron %s holds time constants of a kind within a factor %.4g of each other",
					ps[hi.layer].node, hi.field, hi.file, hi.i, ps[lo.layer].node, lo.field, lo.file, lo.i, hi.tau, lo.tau, hi.tau/lo.tau, learntau.Name, math.Exp(2*learntau.Spread))
			}
		}
		*k.dst = set
		for _, t := range k.taus {
			th, err := learntau.Theta(set, t.tau)
			if err != nil {
				return nil, fmt.Errorf("%s: field %s: %g at %d: %w", ps[t.layer].node, t.field, t.file, t.i, err)
			}
			theta[2*t.layer+k.theta][t.i] = th
		}
	}
	if exact {
		net.FromMetadata = append(net.FromMetadata, "tau")
	}
	if !named {
		net.Notes = append(net.Notes, fmt.Sprintf("%v: the time constants are read as neuron %s, per-neuron τ = τ_set·exp(c·tanh(θ/c)) with τ_set %g, %g, %g ms (τ_mem, τ_syn, τ_readout)",
			differ, learntau.Name, s.TauMem, s.TauSyn, s.TauReadout))
	}
	return theta, nil
}

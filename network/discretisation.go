package network

import (
	"fmt"
	"math"
	"strings"
)

// Discretisation names how the LIF's continuous dynamics become steps
// (docs/conventions.md).
type Discretisation string

const (
	// Paper is Zenke & Vogels' discretisation, the default: an input
	// reaches I one step later and U two steps later, decays are
	// exp(−Δt/τ), and a spike discards the next step's membrane update.
	Paper Discretisation = "paper"
	// Euler is the explicit Euler step that snnTorch and Norse use for
	// NIR's CubaLIF: an input reaches I and U in its own step, decays are
	// 1 − Δt/τ, and a spike sets U to zero after its step, the next
	// step's input being integrated. A network trained with it runs the
	// same in those libraries after a NIR export.
	Euler Discretisation = "euler"
)

// Discretisations are the values of a layer's discretisation.
var Discretisations = []Discretisation{Paper, Euler}

// LayerDiscretisations returns the discretisation of each layer of s, hidden layers
// first and the readout last. Spec.Discretisation is one name for every
// layer ("" is Paper) or a comma-separated list of one name per layer,
// readout included ("euler,euler,paper").
func (s Spec) LayerDiscretisations() ([]Discretisation, error) {
	n := len(s.Hidden) + 1
	out := make([]Discretisation, n)
	text := strings.TrimSpace(s.Discretisation)
	if text == "" {
		text = string(Paper)
	}
	parts := strings.Split(text, ",")
	if len(parts) != 1 && len(parts) != n {
		return nil, fmt.Errorf("model: discretisation: want one name or %d comma-separated names (%d hidden layers and the readout), got %d", n, len(s.Hidden), len(parts))
	}
	for i := range out {
		p := Discretisation(strings.TrimSpace(parts[min(i, len(parts)-1)]))
		if p != Paper && p != Euler {
			return nil, fmt.Errorf("model: discretisation: unknown %q, want %s or %s", clip(string(p), 40), Paper, Euler)
		}
		out[i] = p
	}
	return out, nil
}

// LayerDiscretisation returns the discretisation of layer l (len(Hidden) for the
// readout); Paper if the setting is invalid (Validate refuses it).
func (s Spec) LayerDiscretisation(l int) Discretisation {
	d, err := s.LayerDiscretisations()
	if err != nil || l < 0 || l >= len(d) {
		return Paper
	}
	return d[l]
}

// LayerDecay is the per-step decay of the time constant tau in layer l:
// exp(−Δt/τ) under Paper, 1 − Δt/τ under Euler.
func (s Spec) LayerDecay(l int, tau float64) float64 {
	if s.LayerDiscretisation(l) == Euler {
		return 1 - s.DT/tau
	}
	return s.Decay(tau)
}

// checkDiscretisation refuses an unknown discretisation and, under Euler,
// a time constant shorter than Δt (the decay 1 − Δt/τ would be negative).
func (s Spec) checkDiscretisation() error {
	d, err := s.LayerDiscretisations()
	if err != nil {
		return err
	}
	for l, x := range d {
		if x != Euler {
			continue
		}
		if s.Neuron != "" && s.Neuron != DefaultNeuron {
			return fmt.Errorf("model: discretisation euler is the LIF's (neuron %s); neuron %.40q steps its own way", DefaultNeuron, s.Neuron)
		}
		taus := []struct {
			name string
			v    float64
		}{{"tau-syn", s.TauSyn}, {"tau-mem", s.TauMem}}
		if l == len(s.Hidden) {
			taus[1].name, taus[1].v = "tau-readout", s.TauReadout
		}
		for _, t := range taus {
			if !(t.v >= s.DT) || math.IsInf(t.v, 0) {
				return fmt.Errorf("model: %s must be ≥ dt (%g ms) under the euler discretisation, got %g", t.name, s.DT, t.v)
			}
		}
	}
	return nil
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

package network_test

import (
	"math"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/network"
)

func TestLayerDiscretisations(t *testing.T) {
	s := network.Default()
	s.Hidden = []int{8, 8}
	for _, c := range []struct {
		text string
		want []network.Discretisation
	}{
		{"", []network.Discretisation{network.Paper, network.Paper, network.Paper}},
		{"euler", []network.Discretisation{network.Euler, network.Euler, network.Euler}},
		{"euler, paper ,euler", []network.Discretisation{network.Euler, network.Paper, network.Euler}},
	} {
		s.Discretisation = c.text
		got, err := s.LayerDiscretisations()
		if err != nil || strings.Join(names(got), ",") != strings.Join(names(c.want), ",") {
			t.Errorf("%q: %v, %v; want %v", c.text, got, err, c.want)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%q: %v", c.text, err)
		}
	}
	s.Discretisation = "euler"
	if d := s.LayerDecay(0, s.TauMem); d != 1-s.DT/s.TauMem {
		t.Errorf("Euler decay %v, want 1 − Δt/τ", d)
	}
	s.Discretisation = "paper"
	if d := s.LayerDecay(0, s.TauMem); d != math.Exp(-s.DT/s.TauMem) {
		t.Errorf("paper decay %v, want exp(−Δt/τ)", d)
	}
}

func TestBadDiscretisationIsRefusedByName(t *testing.T) {
	for _, c := range []struct {
		text, tau string
		want      string
	}{
		{"rk4", "", "discretisation"},
		{"euler,euler,euler", "", "discretisation"},
		{"euler", "mem", "tau-mem"},
		{"paper,euler", "readout", "tau-readout"},
		{strings.Repeat("y", 1<<20), "", "discretisation"},
		{"euler", "neuron", "discretisation euler is the LIF's"},
	} {
		s := network.Default()
		s.Discretisation = c.text
		switch c.tau {
		case "mem":
			s.TauMem = 0.5
		case "readout":
			s.TauReadout = 0.5
		case "neuron":
			s.Neuron = "other"
		}
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) || len(err.Error()) > 200 {
			t.Errorf("%.20q: %.200v, want a short error naming %s", c.text, err, c.want)
		}
	}
}

// The PSP kernel under Euler starts in the input's own step.
func TestEulerKernel(t *testing.T) {
	s := network.Default()
	s.Discretisation = "euler"
	eps := network.LIF{}.Kernel(s)
	bm, bs := 1-s.DT/s.TauMem, 1-s.DT/s.TauSyn
	if eps[0] != 1-bm || math.Abs(eps[1]-(bm*(1-bm)+(1-bm)*bs)) > 1e-15 {
		t.Errorf("kernel %v…, want %v, %v", eps[:2], 1-bm, bm*(1-bm)+(1-bm)*bs)
	}
}

func names(d []network.Discretisation) []string {
	var s []string
	for _, x := range d {
		s = append(s, string(x))
	}
	return s
}

package network_test

import (
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/network"
)

type impostor struct{ network.LIF }

func (impostor) States() int { return 3 }

type lifAgain struct{ network.LIF }

// A second model under a taken name is refused; the same model again, or
// the LIF's step replacing its plain description, is not.
func TestRegisterRefusesATakenName(t *testing.T) {
	network.Register(lifAgain{}) // as package models does, with the step
	network.Register(lifAgain{})
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `"lif"`) {
			t.Errorf("a second lif: %v, want a panic naming it", r)
		}
	}()
	network.Register(impostor{})
}

func TestLookupNeuron(t *testing.T) {
	for _, name := range []string{"", "lif"} {
		if n, err := network.LookupNeuron(name); err != nil || n.Name() != "lif" {
			t.Errorf("LookupNeuron(%q) = %v, %v", name, n, err)
		}
	}
	if _, err := network.LookupNeuron("nosuch"); err == nil || !strings.Contains(err.Error(), "lif") {
		t.Errorf("unknown model: %v, want an error listing the known ones", err)
	}
	s := network.Default()
	s.Neuron = "nosuch"
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "neuron") {
		t.Errorf("Validate of an unknown model: %v", err)
	}
}

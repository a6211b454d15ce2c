package network_test

import (
	"math"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/network"
)

func TestDefaultIsValid(t *testing.T) {
	if err := network.Default().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesTheSetting(t *testing.T) {
	cases := map[string]func(*network.Spec){
		"inputs":       func(s *network.Spec) { s.Inputs = 0 },
		"hidden layer": func(s *network.Spec) { s.Hidden = []int{10, 0} },
		"tau-mem":      func(s *network.Spec) { s.TauMem = -1 },
		"tau-syn":      func(s *network.Spec) { s.TauSyn = math.NaN() },
		"dt":           func(s *network.Spec) { s.DT = 0 },
		"steps":        func(s *network.Spec) { s.Steps = 3; s.Hidden = []int{5, 5} },
		"β":            func(s *network.Spec) { s.Surrogate.Beta = -2 },
		"recurrent":    func(s *network.Spec) { s.Hidden = nil; s.Recurrent = true },
		"gain":         func(s *network.Spec) { s.Gain = 0 },
		// The settings' names, for the command line.
		"beta":           func(s *network.Spec) { s.Surrogate.Beta = -1 },
		"recurrent-grad": func(s *network.Spec) { s.RecurrentGrad = true },
	}
	for want, mutate := range cases {
		s := network.Default()
		mutate(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestParseReduction(t *testing.T) {
	for _, r := range []network.Reduction{network.MaxOverTime, network.SumOverTime} {
		if got, err := network.ParseReduction(r.String()); err != nil || got != r {
			t.Errorf("ParseReduction(%q) = %v, %v", r, got, err)
		}
	}
	if _, err := network.ParseReduction("mean"); err == nil {
		t.Error("ParseReduction(mean): want an error")
	}
}

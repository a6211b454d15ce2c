package run_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/spikegrad/spikegrad/run"
)

// Settings errors are typed: a command reads the settings at fault from
// the error instead of parsing its message.
func TestSettingErrorsNameTheirSettings(t *testing.T) {
	cases := []struct {
		set  func(s *run.Settings)
		want []string
	}{
		{func(s *run.Settings) { s.LR = -1 }, []string{"lr"}},
		{func(s *run.Settings) { s.TauMem = 0 }, []string{"tau-mem"}},
		{func(s *run.Settings) { s.Epochs = 0 }, []string{"epochs"}},
		{func(s *run.Settings) { s.Randman.Window = 500 }, []string{"randman-window", "steps"}},
		{func(s *run.Settings) { s.Surrogate = "nope" }, []string{"surrogate"}},
		{func(s *run.Settings) { s.Dataset = "nope" }, []string{"dataset"}},
	}
	for _, c := range cases {
		s := run.DefaultSettings("randman")
		c.set(&s)
		var se *run.SettingError
		if err := s.Validate(); !errors.As(err, &se) || !slices.Equal(se.Settings, c.want) || se.Msg == "" {
			t.Errorf("%v: want a SettingError naming %v", err, c.want)
		}
	}
	s := run.DefaultSettings("randman")
	var se *run.SettingError
	if err := s.Set("beta", "steep"); !errors.As(err, &se) || !slices.Equal(se.Settings, []string{"beta"}) {
		t.Errorf("Set: %v", err)
	}
}

package pyexec

import (
	"testing"
)

// stub records how Require ends a test.
type stub struct {
	testing.TB
	fatal, skip string
}

func (s *stub) Helper()           {}
func (s *stub) Fatal(args ...any) { s.fatal = args[0].(string) }
func (s *stub) Skip(args ...any)  { s.skip = args[0].(string) }

func TestRequireFailsInCI(t *testing.T) {
	const missing = "no_such_module_for_spikegrad"
	if Find(missing) != "" {
		t.Fatal("found a python3 with a module that does not exist")
	}
	t.Setenv("CI", "")
	s := &stub{}
	Require(s, missing)
	if s.skip == "" || s.fatal != "" {
		t.Errorf("outside CI: skip %q, fatal %q; want a skip", s.skip, s.fatal)
	}
	t.Setenv("CI", "true")
	s = &stub{}
	Require(s, missing)
	if s.fatal == "" || s.skip != "" {
		t.Errorf("in CI: skip %q, fatal %q; want a failure", s.skip, s.fatal)
	}
}

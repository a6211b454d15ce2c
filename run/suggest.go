package run

import (
	"fmt"

	"github.com/spikegrad/spikegrad/internal/nearest"
)

// Nearest returns the setting nearest to a name that is not one: within a
// quarter of the name's length in edits (at least 2), ignoring case. ok is
// false when no setting is that near.
func (s *Settings) Nearest(name string) (setting string, ok bool) {
	var names []string
	for _, st := range s.Table() {
		names = append(names, st.Name)
	}
	return nearest.Name(name, names)
}

// DidYouMean returns ` (did you mean "x"?)` with the Nearest setting x, or
// "" when there is none, for the end of an error message.
func (s *Settings) DidYouMean(name string) string {
	if n, ok := s.Nearest(name); ok {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

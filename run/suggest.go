package run

import (
	"fmt"
	"strings"
)

// Nearest returns the setting nearest to a name that is not one: within a
// quarter of the name's length in edits (at least 2), ignoring case. ok is
// false when no setting is that near.
func (s *Settings) Nearest(name string) (nearest string, ok bool) {
	bestD := max(2, len(name)/4) + 1
	for _, st := range s.Table() {
		if d := editDistance(strings.ToLower(name), st.Name); d < bestD {
			nearest, bestD = st.Name, d
		}
	}
	return nearest, nearest != ""
}

// DidYouMean returns ` (did you mean "x"?)` with the Nearest setting x, or
// "" when there is none, for the end of an error message.
func (s *Settings) DidYouMean(name string) string {
	if n, ok := s.Nearest(name); ok {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

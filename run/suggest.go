package run

import (
	"fmt"
	"strings"
)

// DidYouMean returns ` (did you mean "x"?)` for the setting x nearest to a
// name that is not one, or "" when no setting is near: within a quarter of
// the name's length in edits (at least 2), ignoring case.
func (s *Settings) DidYouMean(name string) string {
	best, bestD := "", max(2, len(name)/4)+1
	for _, st := range s.Table() {
		if d := editDistance(strings.ToLower(name), st.Name); d < bestD {
			best, bestD = st.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
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

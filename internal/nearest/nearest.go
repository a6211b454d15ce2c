// Package nearest finds the name a user most likely meant, for error
// messages about names that do not exist (settings, flags, keys).
package nearest

import "strings"

// Name returns the candidate nearest to name: within a quarter of name's
// length in edits (at least 2), ignoring case; the first of equally near
// ones. ok is false when none is that near.
func Name(name string, candidates []string) (nearest string, ok bool) {
	name = strings.ToLower(name)
	bestD := max(2, len(name)/4) + 1
	for _, c := range candidates {
		if d := editDistance(name, strings.ToLower(c)); d < bestD {
			nearest, bestD = c, d
		}
	}
	return nearest, nearest != ""
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

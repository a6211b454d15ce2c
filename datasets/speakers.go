package datasets

import (
	"fmt"
	"strings"
)

// SpeakerList names speakers for a note: "speaker 3", "speakers 3 and 10",
// "speakers 0, 1, …, 9 and 2 more" (at most ten by name). Decimal IDs
// lose their leading zeros, so that a speaker whose files say 03 and one
// whose HDF5 entry says 3 read alike.
func SpeakerList(ids []string) string {
	names := make([]string, 0, min(len(ids), 10))
	for _, id := range ids[:min(len(ids), 10)] {
		names = append(names, trimZeros(id))
	}
	switch {
	case len(ids) == 0:
		return "no speakers"
	case len(ids) == 1:
		return "speaker " + names[0]
	case len(ids) > 10:
		return fmt.Sprintf("speakers %s and %d more", strings.Join(names, ", "), len(ids)-10)
	}
	return "speakers " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// trimZeros drops the leading zeros of a decimal ID, keeping one digit.
func trimZeros(id string) string {
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return id
	}
	if t := strings.TrimLeft(id, "0"); t != "" {
		return t
	}
	return "0"
}

package run

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/network"
)

// identityExempt are the settings that do not change what a run computes:
// where it writes, what it resumes from, how many threads it uses (which
// changes results only by rounding), its memory limit, its logging and
// where audio features are cached.
var identityExempt = []string{"out", "name", "resume", "threads", "max-memory", "log-format", "log-level", "cache-dir", "no-cache"}

// legacyValues are settings added after runs were recorded, with the
// value that every run before them had. A setting at its legacy value is
// left out of the ID, so that those runs keep theirs, and out of the JSON
// of records and checkpoints, which stay as they were.
var legacyValues = map[string]string{"neuron": network.DefaultNeuron}

// atLegacyValue reports whether st is a setting at its legacy value.
func atLegacyValue(st Setting) bool {
	v, ok := legacyValues[st.Name]
	return ok && st.String() == v
}

// ID identifies the run that s describes: a hash of every setting that
// can change its result, by name and value, in table order, so that runs
// with the same ID are the same computation and any other change of
// setting (a sweep's base settings, a default) gives another ID. It is 32
// hexadecimal digits; sweeps put its first 12 in folder names.
func (s *Settings) ID() string {
	h := sha256.New()
	for _, st := range s.Table() {
		if slices.Contains(identityExempt, st.Name) {
			continue
		}
		if atLegacyValue(st) {
			continue
		}
		h.Write([]byte(st.Name))
		h.Write([]byte{'='})
		h.Write([]byte(strings.ReplaceAll(st.String(), "\n", `\n`)))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

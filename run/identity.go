package run

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/network"
)

// identityExempt are the settings that do not change what a run computes:
// where it writes, what it resumes from, how many threads it uses, its
// memory limit, its logging and where audio features are cached.
var identityExempt = []string{"out", "name", "resume", "resume-dt", "threads", "max-memory", "log-format", "log-level", "cache-dir", "no-cache"}

// legacyValues are settings added after runs were recorded, with the
// value that every run before them had. A setting at its legacy value is
// left out of the ID, so that those runs keep theirs, and out of the JSON
// of records and checkpoints, which stay as they were.
var legacyValues = map[string]string{"neuron": network.DefaultNeuron, "micro-batches": strconv.Itoa(DefaultMicroBatches),
	"discretisation": string(network.Paper), "resume-dt": "0"}

// atLegacyValue reports whether st is a setting at its legacy value.
func atLegacyValue(st Setting) bool {
	v, ok := legacyValues[st.Name]
	return ok && st.String() == v
}

// Numerics is the version of the arithmetic: the order and kind of the
// operations that make a run's numbers. A change of the code that changes
// the numbers of a run with the same settings (a summation order, a
// kernel's rounding, how a batch is split) bumps it, which gives every run
// a new ID; runs recorded before it stay found by their old IDs in their
// records. Version 1 enters no ID, so those of the runs before it was
// kept are unchanged.
const Numerics = 2

// ID identifies the run that s describes: a hash of every setting that
// can change its result, by name and value, in table order, and of the
// version of the arithmetic (Numerics), so that runs with the same ID give
// the same numbers, on any machine and number of cores, and any other
// change of setting (a sweep's base settings, a default) gives another ID. It is 32
// hexadecimal digits; sweeps put its first 12 in folder names.
//
// What stays out: the settings in identityExempt, settings added since
// runs were recorded when at the value those runs had (legacyValues), and
// where the data lie: data-dir enters with the empty value it had in every
// recorded run, so that the same files in two folders give one ID (a data
// set read from files is its published release; the record names the
// folder).
func (s *Settings) ID() string {
	return s.IDAt(Numerics)
}

// IDAt is the ID that s had under version numerics of the arithmetic: the
// ID of its records made by an earlier build.
func (s *Settings) IDAt(numerics int) string {
	h := sha256.New()
	for _, st := range s.Table() {
		if slices.Contains(identityExempt, st.Name) {
			continue
		}
		if atLegacyValue(st) {
			continue
		}
		value := st.String()
		if st.Name == "data-dir" {
			value = ""
		}
		h.Write([]byte(st.Name))
		h.Write([]byte{'='})
		h.Write([]byte(strings.ReplaceAll(value, "\n", `\n`)))
		h.Write([]byte{'\n'})
	}
	if numerics != 1 {
		fmt.Fprintf(h, "numerics=%d\n", numerics)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

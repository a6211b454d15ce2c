package run

import (
	"strings"
	"testing"
)

// TestRevisionNote: a build that carries its commit is silent; one that
// does not (test binaries, `go run` where -buildvcs is off) says how to get
// records that name their code.
func TestRevisionNote(t *testing.T) {
	if note := (Software{Revision: "bce6be7"}).RevisionNote(); note != "" {
		t.Errorf("stamped build: %q", note)
	}
	note := (Software{}).RevisionNote()
	if !strings.Contains(note, "-buildvcs=true") || !strings.Contains(note, "commit") {
		t.Errorf("unstamped build: %q", note)
	}
	if cur := CurrentSoftware(); cur.Revision == "" && cur.RevisionNote() == "" {
		t.Error("this test binary carries no commit, yet no note")
	}
}

package run

import (
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/metrics"
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

// TestSameNumbers: equal test metrics and histories are the same numbers
// whatever the epochs' wall times; any other difference is named.
func TestSameNumbers(t *testing.T) {
	rec := func(loss float64, took time.Duration) *Record {
		return &Record{Test: &metrics.Metrics{N: 10, Accuracy: 0.9, Loss: 0.3},
			History: []metrics.Epoch{{Epoch: 1, Train: metrics.Metrics{Loss: loss}, Duration: took}}}
	}
	if same, diff := rec(1, time.Second).SameNumbers(rec(1, time.Minute)); !same {
		t.Errorf("wall times only: %s", diff)
	}
	if same, diff := rec(1.0000001, 0).SameNumbers(rec(1, 0)); same || !strings.Contains(diff, "epoch 1") {
		t.Errorf("history differs: %v %q", same, diff)
	}
	other := rec(1, 0)
	other.Test.Loss = 0.5
	if same, diff := rec(1, 0).SameNumbers(other); same || !strings.Contains(diff, "loss 0.5") {
		t.Errorf("test differs: %v %q", same, diff)
	}
	if same, _ := (&Record{}).SameNumbers(rec(1, 0)); same {
		t.Error("a record without test metrics")
	}
	// The final weights' test metrics count where the record has them;
	// records made before they were kept lack them and still compare.
	withFinal := func(acc float64) *Record {
		r := rec(1, 0)
		r.FinalTest = &metrics.Metrics{N: 10, Accuracy: acc}
		return r
	}
	if same, diff := withFinal(0.8).SameNumbers(withFinal(0.7)); same || !strings.Contains(diff, "final_test") {
		t.Errorf("final test differs: %v %q", same, diff)
	}
	if same, diff := rec(1, 0).SameNumbers(withFinal(0.8)); same || !strings.Contains(diff, "final_test") {
		t.Errorf("final test missing in the rerun: %v %q", same, diff)
	}
	if same, diff := withFinal(0.8).SameNumbers(rec(1, 0)); !same {
		t.Errorf("a record without final test metrics against a rerun with them: %q", diff)
	}
}

// TestSelectionSamples: a record names the number of validation samples
// its best epoch was chosen on (catalog's tests check the warning of a
// split too small to select on).
func TestSelectionSamples(t *testing.T) {
	r := &Record{Status: "completed", BestEpoch: 2, Validation: metrics.Metrics{N: 48, Accuracy: 0.9}}
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"selection_samples": 48`) {
		t.Errorf("record does not say how many samples its selection rests on:\n%s", b)
	}
}

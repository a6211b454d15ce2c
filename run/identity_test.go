package run_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/run"
)

// Every committed record of the paper's local scale keeps its ID at the
// version of the arithmetic that made it: settings added since (such as
// neuron and micro-batches) stay out of the hash at their legacy value.
func TestCommittedRecordsKeepTheirID(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "docs", "results", "paper", "local", "runs", "*", "*", "record.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no committed record found")
	}
	for _, p := range paths {
		r, err := run.LoadRecord(p)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Settings.IDAt(max(r.Numerics, 1))
		if r.ID != "" && got != r.ID {
			t.Errorf("%s: ID %s, recorded %s", p, got, r.ID)
		}
		// Older records name their ID only in their folder's name.
		dir := filepath.Base(filepath.Dir(p))
		if suffix := dir[strings.LastIndex(dir, "-")+1:]; !strings.HasPrefix(got, suffix) {
			t.Errorf("%s: ID %s, folder named for %s", p, got, suffix)
		}
	}
	t.Logf("%d records", len(paths))
}

// MicroBatches other than the default enter the ID and the JSON; the default
// does neither.
func TestMicroBatchesEnterTheID(t *testing.T) {
	s := run.DefaultSettings("randman")
	two := s.ID()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"micro-batches"`) {
		t.Errorf("default settings write the micro-batches key: %s", b)
	}
	s.MicroBatches = 4
	if s.ID() == two {
		t.Error("micro-batches = 4 has the ID of micro-batches = 2")
	}
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	var back run.Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.MicroBatches != 4 {
		t.Errorf("micro-batches %d after a round trip, want 4", back.MicroBatches)
	}
}

// A neuron model other than the LIF enters the ID.
func TestNeuronEntersTheID(t *testing.T) {
	s := run.DefaultSettings("randman")
	lif := s.ID()
	s.Neuron = "other"
	if s.ID() == lif {
		t.Error("neuron = other has the ID of neuron = lif")
	}
}

// Records and checkpoints of LIF runs hold the JSON they held before the
// neuron setting; another model is written and read back.
func TestNeuronInJSON(t *testing.T) {
	s := run.DefaultSettings("randman")
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"neuron"`) {
		t.Errorf("LIF settings write the neuron key: %s", b)
	}
	s.Neuron = "other"
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	var back run.Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Neuron != "other" {
		t.Errorf("neuron %q after a round trip, want other", back.Neuron)
	}
}

// The ID means "the same numbers": where the data lie does not enter it,
// the version of the arithmetic does, and a new setting at the value every
// earlier run had leaves every earlier ID alone.
func TestIDIsTheComputation(t *testing.T) {
	s := run.DefaultSettings("shd")
	s.DataDir = "/data/a"
	a := s.ID()
	s.DataDir = "/mnt/elsewhere/shd"
	if s.ID() != a {
		t.Error("the same SHD settings on two folders have two IDs")
	}
	if s.IDAt(run.Numerics+1) == a {
		t.Error("another version of the arithmetic has the same ID")
	}
	if s.IDAt(run.Numerics) != a {
		t.Error("the current version of the arithmetic is not the ID's")
	}
}

// The discretisation enters the ID and the JSON only when it is not the
// paper's, so that every recorded run keeps both.
func TestDiscretisationEntersTheIDOnlyWhenNotThePapers(t *testing.T) {
	s := run.DefaultSettings("randman")
	paper := s.ID()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"discretisation"`) {
		t.Errorf("paper settings write the discretisation key: %s", b)
	}
	s.Discretisation = "euler"
	if s.ID() == paper {
		t.Error("discretisation = euler has the ID of discretisation = paper")
	}
	if b, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	var back run.Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Discretisation != "euler" {
		t.Errorf("discretisation %q after a round trip, want euler", back.Discretisation)
	}
	if _, err := s.Spec(20, 10); err != nil {
		t.Errorf("euler: %v", err)
	}
	for _, bad := range []string{"heun", "euler,euler,euler", strings.Repeat("x", 1<<20)} {
		s.Discretisation = bad
		_, err := s.Spec(20, 10)
		if err == nil || !strings.Contains(err.Error(), "discretisation") || len(err.Error()) > 300 {
			t.Errorf("discretisation %.20q: error %.300v, want one naming the setting, short", bad, err)
		}
	}
}

// A setting left out of the JSON at its legacy value reads back as that
// value, not as the data set's default: a LIF run of a data set whose
// default is another neuron (rawhd's adLIF) stays a LIF run, with its ID,
// and that data set's default model round-trips too.
func TestLegacyValueReadsBackWhateverTheDefault(t *testing.T) {
	for _, neuron := range []string{"lif", run.DefaultSettings("rawhd").Neuron} {
		s := run.DefaultSettings("rawhd")
		s.Neuron = neuron
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back run.Settings
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Neuron != neuron || back.ID() != s.ID() {
			t.Errorf("neuron %q reads back as %q (ID %s, want %s)", neuron, back.Neuron, back.ID(), s.ID())
		}
	}
	if run.DefaultSettings("rawhd").Neuron == "lif" {
		t.Error("rawhd's default neuron is the LIF: this test no longer sees a default other than the legacy value")
	}
}

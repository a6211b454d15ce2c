package run

import (
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/internal/readlimit"
	"github.com/spikegrad/spikegrad/metrics"
)

// Record is the self-describing account of one training run, written as
// JSON next to its checkpoints.
type Record struct {
	Status string `json:"status"` // running, completed, interrupted or failed
	Error  string `json:"error,omitempty"`
	// ID identifies the computation (Settings.ID).
	ID       string   `json:"id,omitempty"`
	Settings Settings `json:"settings"`
	Data     DataInfo `json:"data"`

	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	WallSeconds float64   `json:"wall_seconds"`

	History    []metrics.Epoch `json:"history"`
	BestEpoch  int             `json:"best_epoch"`
	Validation metrics.Metrics `json:"validation"` // of the best epoch
	// SelectionSamples is the number of validation samples the best epoch
	// was chosen on (Validation.N), written with the record; see
	// MinSelectionSamples.
	SelectionSamples int `json:"selection_samples,omitempty"`
	// Test and Activity are measured once, with the best weights.
	Test     *metrics.Metrics     `json:"test,omitempty"`
	Activity []metrics.SpikeStats `json:"test_activity,omitempty"`
	// FinalTest and FinalActivity are the test metrics and activity of
	// the weights at the end of training (last.npz's), the network as
	// trained; records written before they were kept lack them.
	FinalTest     *metrics.Metrics     `json:"final_test,omitempty"`
	FinalActivity []metrics.SpikeStats `json:"final_test_activity,omitempty"`

	Checkpoint string `json:"checkpoint,omitempty"` // best weights, relative to the record
	// NeuronParams are the neuron model's per-neuron parameters of the
	// best weights, by name (models.Weights.PerNeuron): learnt time
	// constants and adaptation, small enough to keep where the
	// checkpoints are not (results in version control). None for the LIF.
	NeuronParams map[string][]float64 `json:"neuron_params,omitempty"`
	Software     Software             `json:"software"`
	// Numerics is the version of the arithmetic that made the numbers
	// (run.Numerics); 0 in records written before it was kept, which
	// are of version 1.
	Numerics int `json:"numerics,omitempty"`
	// Resumes lists, oldest first, every time the run was continued from
	// a checkpoint; the history holds the epochs from before each.
	Resumes []Resume `json:"resumes,omitempty"`
}

// Resume notes one continuation of a run from a checkpoint.
type Resume struct {
	From  string `json:"from"`  // the checkpoint's path as given
	Epoch int    `json:"epoch"` // epochs the checkpoint had completed
	// Exact is true when the checkpoint held the training state (the
	// solver's moments and step count, the minibatch order), so that the
	// run continued as if never stopped; false when it held weights only
	// and the solver started afresh.
	Exact bool      `json:"exact"`
	At    time.Time `json:"at"`
	// GOMAXPROCS is the thread count the run continued at.
	GOMAXPROCS int `json:"gomaxprocs,omitempty"`
	// Numerics, when not 0, is the version of the arithmetic of the
	// checkpoint's run, another than the record's: the epochs before and
	// after the continuation were computed differently.
	Numerics int `json:"numerics,omitempty"`
	// Notes say what the import of a NIR file from another library
	// assumed: the discretisation it runs with, its time step.
	Notes []string `json:"notes,omitempty"`
}

// DataInfo describes the data a run used.
type DataInfo struct {
	Name       string `json:"name"`
	Train      int    `json:"train"`
	Validation int    `json:"validation"`
	Test       int    `json:"test"`
	Inputs     int    `json:"inputs"`
	Classes    int    `json:"classes"`
	Steps      int    `json:"steps"`
	// What the loader noted and warned about, and the files it skipped
	// (skip-bad-files).
	Notes    []string               `json:"notes,omitempty"`
	Warnings []string               `json:"warnings,omitempty"`
	Skipped  []datasets.FileProblem `json:"skipped_files,omitempty"`
}

// Software identifies the code that made a record.
type Software struct {
	Module     string `json:"module"`
	Version    string `json:"version"`
	Revision   string `json:"vcs_revision,omitempty"`
	Modified   bool   `json:"vcs_modified,omitempty"`
	Go         string `json:"go"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	// Cores is how many of them the run's training programs used at once
	// (a sweep shares the cores between its jobs); it changes the speed,
	// never the numbers.
	Cores int `json:"cores,omitempty"`
}

// CurrentSoftware identifies the running program.
func CurrentSoftware() Software {
	sw := Software{Module: "github.com/spikegrad/spikegrad", Version: "(devel)", Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if bi, ok := debug.ReadBuildInfo(); ok {
		sw.Version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				sw.Revision = s.Value
			case "vcs.modified":
				sw.Modified = s.Value == "true"
			}
		}
	}
	return sw
}

// RevisionNote returns, for a build that does not carry the commit it was
// built from, what its records lack and how to build one that does; ""
// for a build that does. Go stamps the commit into binaries that `go
// build` makes in a git checkout (unless -buildvcs=false), never into
// those of `go run` unless -buildvcs=true is given.
func (sw Software) RevisionNote() string {
	if sw.Revision != "" {
		return ""
	}
	return "this build does not carry its commit, so its run records will not name the code that made them; " +
		"build it with go build, or run it with go run -buildvcs=true, in a git checkout to record it"
}

// SameNumbers reports whether r gives the numbers of want bit for bit: the
// test metrics (of the final weights too, where want has them: older
// records lack them) and the training history, the epochs' wall times
// aside. When it does not, diff says where they first part.
func (r *Record) SameNumbers(want *Record) (same bool, diff string) {
	if !reflect.DeepEqual(want.Test, r.Test) {
		if want.Test == nil || r.Test == nil {
			return false, "test: one of the records has no test metrics"
		}
		return false, fmt.Sprintf("test: recorded accuracy %v, loss %v; rerun %v, %v",
			want.Test.Accuracy, want.Test.Loss, r.Test.Accuracy, r.Test.Loss)
	}
	if want.FinalTest != nil && !reflect.DeepEqual(want.FinalTest, r.FinalTest) {
		if r.FinalTest == nil {
			return false, "final_test: the rerun has no test metrics of its final weights"
		}
		return false, fmt.Sprintf("final_test: recorded accuracy %v, loss %v; rerun %v, %v",
			want.FinalTest.Accuracy, want.FinalTest.Loss, r.FinalTest.Accuracy, r.FinalTest.Loss)
	}
	if len(want.History) != len(r.History) {
		return false, fmt.Sprintf("history: %d epochs recorded, %d rerun", len(want.History), len(r.History))
	}
	for i, a := range want.History {
		b := r.History[i]
		a.Duration, b.Duration = 0, 0
		if !reflect.DeepEqual(a, b) {
			return false, fmt.Sprintf("history: epoch %d differs (train loss %v recorded, %v rerun)", i+1, a.Train.Loss, b.Train.Loss)
		}
	}
	return true, ""
}

// Save writes r to path atomically.
func (r *Record) Save(path string) error {
	b, err := r.JSON()
	if err != nil {
		return fmt.Errorf("record %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, b)
}

// JSON returns r as the indented JSON of a record file.
func (r *Record) JSON() ([]byte, error) {
	if r.BestEpoch > 0 {
		r.SelectionSamples = r.Validation.N
	}
	b, err := json.MarshalIndent(r, "", "  ")
	return append(b, '\n'), err
}

// LoadRecord reads a record.
func LoadRecord(path string) (*Record, error) {
	b, err := readlimit.ReadFile(path, readlimit.Record)
	if err != nil {
		return nil, err
	}
	r := &Record{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("record %s: %w", path, err)
	}
	return r, nil
}

package train

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spikegrad/spikegrad/datasets"
)

// Record is the self-describing account of one training run, written as
// JSON next to its checkpoints.
type Record struct {
	Status   string   `json:"status"` // running, completed, interrupted or failed
	Error    string   `json:"error,omitempty"`
	Settings Settings `json:"settings"`
	Data     DataInfo `json:"data"`

	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	WallSeconds float64   `json:"wall_seconds"`

	History    []Epoch `json:"history"`
	BestEpoch  int     `json:"best_epoch"`
	Validation Metrics `json:"validation"` // of the best epoch
	// Test and Activity are measured once, with the best weights.
	Test     *Metrics     `json:"test,omitempty"`
	Activity []SpikeStats `json:"test_activity,omitempty"`

	Checkpoint string   `json:"checkpoint,omitempty"` // best weights, relative to the record
	Software   Software `json:"software"`
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
}

func software() Software {
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

// Save writes r to path atomically.
func (r *Record) Save(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("record %s: %w", path, err)
	}
	return writeAtomic(path, func(f *os.File) error {
		_, err := f.Write(append(b, '\n'))
		return err
	})
}

// LoadRecord reads a record.
func LoadRecord(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &Record{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("record %s: %w", path, err)
	}
	return r, nil
}

package baseline

import (
	"encoding/json"
	"fmt"

	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// Report is what cmd/baseline writes to baseline_<dataset>.json: the data
// the classifiers saw and each classifier's search.
type Report struct {
	Dataset    string        `json:"dataset"`
	DataDir    string        `json:"data_dir,omitempty"`
	Steps      int           `json:"steps"`
	DT         float64       `json:"dt"`
	Bin        int           `json:"bin"`
	Features   int           `json:"features"`
	Train      int           `json:"train"`
	Validation int           `json:"validation"`
	Test       int           `json:"test"`
	Fits       []ModelSearch `json:"fits"`
}

// ModelSearch is one classifier's search: every configuration's
// validation accuracy, the one selected and its fits.
type ModelSearch struct {
	Model string `json:"model"`
	Searched
	Took string `json:"took"`
}

// LoadReport reads a results file of cmd/baseline.
func LoadReport(path string) (*Report, error) {
	// A results file holds every fit's epochs: some megabytes at most.
	b, err := readlimit.ReadFile(path, readlimit.Record)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Dataset == "" {
		return nil, fmt.Errorf("%s: no dataset: not a results file of cmd/baseline", path)
	}
	return &r, nil
}

// Search returns the search of classifier model ("mlp", "logreg"), or nil.
func (r *Report) Search(model string) *ModelSearch {
	for i := range r.Fits {
		if r.Fits[i].Model == model {
			return &r.Fits[i]
		}
	}
	return nil
}

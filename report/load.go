package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/run"
)

// Run is one completed training run.
type Run struct {
	Path   string // of its record file
	Record *run.Record
}

// Validation returns the validation accuracy of the run's best epoch, the
// number runs are selected on.
func (r Run) Validation() float64 { return r.Record.Validation.Accuracy }

// Test returns the test accuracy of the best-on-validation weights.
func (r Run) Test() float64 { return r.Record.Test.Accuracy }

// ValidationSpikes returns the mean number of hidden spikes per
// validation input of the run's best epoch, summed over hidden layers:
// the activity to select on.
func (r Run) ValidationSpikes() float64 { return r.Record.Validation.TotalSpikes() }

// Split names the data split a measurement is of.
type Split string

// The splits on which records measure the weights at the end of training.
const (
	OnValidation Split = "validation" // every epoch's, in the history
	OnTest       Split = "test"       // once, after training (final_test)
)

// Final returns the metrics of the weights at the end of training on
// split on: the history's last epoch for OnValidation, the record's
// final_test for OnTest; false for a record without them (no history, or
// written before final_test was kept).
func (r Run) Final(on Split) (m metrics.Metrics, ok bool) {
	switch on {
	case OnValidation:
		if h := r.Record.History; len(h) > 0 {
			return h[len(h)-1].Validation, true
		}
	case OnTest:
		if r.Record.FinalTest != nil {
			return *r.Record.FinalTest, true
		}
	}
	return m, false
}

// FinalSplit is the split on which every one of runs has measured its
// final weights: OnTest where all records hold final_test, else
// OnValidation, so that points drawn together are of one split.
func FinalSplit(runs ...[]Run) Split {
	for _, rs := range runs {
		for _, r := range rs {
			if _, ok := r.Final(OnTest); !ok {
				return OnValidation
			}
		}
	}
	return OnTest
}

// Spikes returns the mean number of hidden spikes per test input, summed
// over hidden layers.
func (r Run) Spikes() float64 {
	if len(r.Record.Test.SpikesPerInput) > 0 {
		return r.Record.Test.TotalSpikes()
	}
	// Older records may carry the activity only.
	s := 0.0
	for _, a := range r.Record.Activity {
		s += a.PerInput
	}
	return s
}

// Setting returns the value of the setting called name as flag text.
func (r Run) Setting(name string) (string, error) {
	st, ok := r.Record.Settings.Lookup(name)
	if !ok {
		return "", fmt.Errorf("report: %w", unknownSetting(name))
	}
	return st.String(), nil
}

// CurvesFromHistory returns the curve of field (one of "train_loss",
// "train_accuracy", "validation_loss", "validation_accuracy") of run r,
// accuracies in percent.
func CurvesFromHistory(r Run, field string) (x, y []float64, err error) {
	for _, e := range r.Record.History {
		var v float64
		switch field {
		case "train_loss":
			v = e.Train.Loss
		case "train_accuracy":
			v = 100 * e.Train.Accuracy
		case "validation_loss":
			v = e.Validation.Loss
		case "validation_accuracy":
			v = 100 * e.Validation.Accuracy
		default:
			return nil, nil, fmt.Errorf("report: curves: unknown field %q", field)
		}
		x, y = append(x, float64(e.Epoch)), append(y, v)
	}
	return x, y, nil
}

// Set is what Load found.
type Set struct {
	// Runs are the completed runs with test metrics, in path order.
	Runs []Run
	// Excluded counts the records left out by their status ("running",
	// "failed", …; "completed without test" for a completed record that
	// lacks test metrics).
	Excluded map[string]int
	// Skipped are the files that could not be read, each error naming its
	// file.
	Skipped []error
}

// Err returns the reasons of all skipped files, or nil.
func (s *Set) Err() error { return errors.Join(s.Skipped...) }

// Describe says in one line what the set holds, for logs and reports.
func (s *Set) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d completed runs", len(s.Runs))
	if len(s.Excluded) > 0 {
		var parts []string
		for _, st := range sortedKeys(s.Excluded) {
			parts = append(parts, fmt.Sprintf("%d %s", s.Excluded[st], st))
		}
		fmt.Fprintf(&b, "; left out: %s", strings.Join(parts, ", "))
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(&b, "; %d unreadable record files", len(s.Skipped))
	}
	return b.String()
}

// Load reads run records. Each argument is a folder, searched recursively
// for files named record.json, a record file of any name, or a glob
// pattern of either. An argument that matches nothing, or arguments under
// which no record file exists, are errors; a record file that cannot be
// read or parsed is listed in Set.Skipped and loading goes on, so that one
// broken run does not hide a sweep's results.
func Load(paths ...string) (*Set, error) {
	if len(paths) == 0 {
		return nil, errors.New("report: no run folders given")
	}
	files, err := recordFiles(paths)
	if err != nil {
		return nil, err
	}
	if len(files.found) == 0 {
		return nil, fmt.Errorf("report: no %s under %s", run.RecordFile, strings.Join(paths, ", "))
	}
	set := &Set{Excluded: map[string]int{}, Skipped: files.errs}
	for _, f := range files.found {
		rec, err := run.LoadRecord(f)
		if err != nil {
			set.Skipped = append(set.Skipped, fileError(f, err))
			continue
		}
		switch {
		case rec.Status != "completed":
			set.Excluded[statusName(rec.Status)]++
		case rec.Test == nil:
			set.Excluded["completed without test"]++
		default:
			set.Runs = append(set.Runs, Run{Path: f, Record: rec})
		}
	}
	return set, nil
}

func statusName(s string) string {
	if s == "" {
		return "without status"
	}
	return s
}

// fileError names path in err unless err already does.
func fileError(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

type found struct {
	found []string
	errs  []error
}

// recordFiles expands the arguments of Load into sorted, unique files.
func recordFiles(args []string) (found, error) {
	var f found
	seen := map[string]bool{}
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			f.found = append(f.found, c)
		}
	}
	for _, arg := range args {
		matches, err := expand(arg)
		if err != nil {
			return f, err
		}
		for _, m := range matches {
			if err := f.walk(m, add); err != nil {
				return f, err
			}
		}
	}
	sort.Strings(f.found)
	return f, nil
}

// expand resolves a glob pattern, or checks that a plain path exists.
func expand(arg string) ([]string, error) {
	if !strings.ContainsAny(arg, "*?[") {
		if _, err := os.Stat(arg); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		return []string{arg}, nil
	}
	m, err := filepath.Glob(arg)
	if err != nil {
		return nil, fmt.Errorf("report: pattern %q: %w", arg, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("report: %q matches no file", arg)
	}
	return m, nil
}

// walk adds p if it is a file, or every record file below p if it is a
// folder. Unreadable subfolders are noted, not fatal.
func (f *found) walk(p string, add func(string)) error {
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if !st.IsDir() {
		add(p)
		return nil
	}
	return filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			f.errs = append(f.errs, fileError(path, err))
			return nil
		}
		if !d.IsDir() && d.Name() == run.RecordFile {
			add(path)
		}
		return nil
	})
}

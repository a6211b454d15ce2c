package sweep

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/spikegrad/spikegrad/run"
)

// Sweep is a grid of training runs: every combination of the Grid's values,
// for each of the Variants (or once if there are none), on top of Base.
// Values are the settings' text forms, as on the command line.
type Sweep struct {
	Name     string
	Base     []Assignment
	Grid     []Axis
	Variants [][]Assignment
}

// Assignment sets one setting.
type Assignment struct{ Key, Value string }

// Axis is one dimension of a grid.
type Axis struct {
	Key    string
	Values []string
}

// Job is one run of a sweep: its folder name and settings.
type Job struct {
	Name     string
	Settings run.Settings
}

// Jobs expands sweeps into runs in a fixed order on top of base, which
// supplies every setting a sweep does not. Every run's settings are
// validated first; an error names the sweep, the run and the setting.
func Jobs(base run.Settings, sweeps []Sweep) ([]Job, error) {
	var runs []Job
	seen := map[string]bool{}
	for _, sw := range sweeps {
		variants := sw.Variants
		if len(variants) == 0 {
			variants = [][]Assignment{nil}
		}
		for _, v := range variants {
			for _, point := range product(sw.Grid) {
				r, err := makeJob(base, sw, append(append([]Assignment(nil), v...), point...))
				if err != nil {
					return nil, err
				}
				if seen[r.Name] {
					continue // the same run listed twice is run once
				}
				seen[r.Name] = true
				runs = append(runs, r)
			}
		}
	}
	return runs, nil
}

// product lists the grid's points, the last axis varying fastest.
func product(grid []Axis) [][]Assignment {
	points := [][]Assignment{nil}
	for _, ax := range grid {
		var next [][]Assignment
		for _, p := range points {
			for _, v := range ax.Values {
				next = append(next, append(append([]Assignment(nil), p...), Assignment{ax.Key, v}))
			}
		}
		points = next
	}
	return points
}

func makeJob(base run.Settings, sw Sweep, point []Assignment) (Job, error) {
	s := base
	s.Hidden = append([]int(nil), base.Hidden...)
	all := append(append([]Assignment(nil), sw.Base...), point...)
	if ds := datasetIn(all); ds != "" && ds != base.Dataset {
		s = run.DefaultSettings(ds) // the data set brings its own defaults
		s.Out = base.Out
	}
	for _, a := range all {
		if err := s.Set(a.Key, a.Value); err != nil {
			return Job{}, fmt.Errorf("sweep %s: %w", sw.Name, err)
		}
	}
	name := runName(sw.Name, point)
	if err := s.Validate(); err != nil {
		return Job{}, fmt.Errorf("sweep %s, run %s: %w", sw.Name, name, err)
	}
	s.Name, s.Resume, s.Threads = name, "", 0
	return Job{Name: name, Settings: s}, nil
}

func datasetIn(as []Assignment) string {
	ds := ""
	for _, a := range as {
		if a.Key == "dataset" {
			ds = a.Value
		}
	}
	return ds
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.=+-]+`)

// runName is a readable, filesystem-safe and deterministic folder name; long
// names are shortened with a hash to stay unique.
func runName(sweep string, point []Assignment) string {
	parts := []string{}
	if sweep != "" {
		parts = append(parts, sweep)
	}
	for _, a := range point {
		parts = append(parts, a.Key+"="+a.Value)
	}
	name := unsafeChars.ReplaceAllString(strings.Join(parts, "_"), "+")
	if name == "" {
		name = "run"
	}
	if len(name) > 120 {
		sum := sha256.Sum256([]byte(name))
		name = fmt.Sprintf("%s-%x", name[:100], sum[:6])
	}
	return name
}

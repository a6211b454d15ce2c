package sweep

import (
	"fmt"
	"math"
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

// Job is one run of a sweep: its folder name, its identity and its
// settings.
type Job struct {
	Name string
	// ID identifies the run by all its settings (run.Settings.ID): the
	// same settings, in any sweep, are the same run.
	ID       string
	Settings run.Settings
}

// DefaultMaxRuns is the largest sweep Jobs expands. A grid is counted
// before it is expanded, so a grid of a billion runs is refused at once,
// naming its size, instead of filling the memory.
const DefaultMaxRuns = 100_000

// Count returns the number of runs of sweeps before duplicates are
// removed, saturating at math.MaxInt, and a description of the largest
// sweep's factors ("3 variants × 1000 × 1000 values").
func Count(sweeps []Sweep) (int, string) {
	total, biggest, what := 0, -1, ""
	for _, sw := range sweeps {
		n := max(len(sw.Variants), 1)
		var factors []string
		if len(sw.Variants) > 1 {
			factors = append(factors, fmt.Sprintf("%d variants", len(sw.Variants)))
		}
		for _, ax := range sw.Grid {
			n = satMul(n, len(ax.Values))
			factors = append(factors, fmt.Sprintf("%d %s", len(ax.Values), ax.Key))
		}
		if n > biggest {
			biggest = n
			what = strings.Join(factors, " × ")
			if sw.Name != "" {
				what = "sweep " + sw.Name + ": " + what
			}
		}
		total = satAdd(total, n)
	}
	return total, what
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// Jobs expands sweeps into runs in a fixed order on top of base, which
// supplies every setting a sweep does not, refusing sweeps of more than
// DefaultMaxRuns runs. See Expand.
func Jobs(base run.Settings, sweeps []Sweep) ([]Job, error) {
	return Expand(base, sweeps, DefaultMaxRuns)
}

// Expand expands sweeps into runs in a fixed order on top of base, which
// supplies every setting a sweep does not. Sweeps of more than maxRuns runs
// are refused before anything is expanded. Every run's settings are
// validated; an error names the sweep, the run and the setting. Runs with
// the same settings (the same ID) are listed once.
func Expand(base run.Settings, sweeps []Sweep, maxRuns int) ([]Job, error) {
	if n, what := Count(sweeps); n > maxRuns {
		size := fmt.Sprint(n)
		if n == math.MaxInt {
			size = "more than " + fmt.Sprint(math.MaxInt)
		}
		return nil, fmt.Errorf("the sweep has %s runs (%s), more than the limit of %d (--max-runs); split it or raise the limit", size, what, maxRuns)
	}
	var runs []Job
	seen := map[string]bool{}
	names := map[string]string{}
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
				if seen[r.ID] {
					continue // the same run listed twice is run once
				}
				if id, ok := names[r.Name]; ok {
					return nil, fmt.Errorf("runs %s and %s share the folder name %s", id, r.ID, r.Name)
				}
				seen[r.ID], names[r.Name] = true, r.ID
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
	slug := runSlug(sw.Name, point)
	if err := s.Validate(); err != nil {
		return Job{}, fmt.Errorf("sweep %s, run %s: %w", sw.Name, slug, err)
	}
	s.Resume, s.Threads = "", 0
	id := s.ID()
	name := slug + "-" + id[:12]
	s.Name = name
	return Job{Name: name, ID: id, Settings: s}, nil
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

// maxSlug is the length of the readable part of a run's folder name.
const maxSlug = 80

// runSlug is the readable part of a run's folder name: the sweep's name
// and the run's grid point, with every character that is not a letter,
// digit or one of _ . = + - replaced, and no leading dot. It need not be
// unique: the folder name adds the run's ID (see makeJob), so values that
// look alike here (/a/b, /a+b, /a b) are still different folders, and no
// name can be "." or "..", hold a separator or climb out of the sweep's
// folder.
func runSlug(sweep string, point []Assignment) string {
	parts := []string{}
	if sweep != "" {
		parts = append(parts, sweep)
	}
	for _, a := range point {
		parts = append(parts, a.Key+"="+a.Value)
	}
	name := unsafeChars.ReplaceAllString(strings.Join(parts, "_"), "+")
	name = strings.TrimLeft(name, ".")
	if len(name) > maxSlug {
		name = name[:maxSlug]
	}
	if name == "" {
		name = "run"
	}
	return name
}

package train

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
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
	Settings Settings
}

// Jobs expands sweeps into runs in a fixed order on top of base, which
// supplies every setting a sweep does not. Every run's settings are
// validated first; an error names the sweep, the run and the setting.
func Jobs(base Settings, sweeps []Sweep) ([]Job, error) {
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

func makeJob(base Settings, sw Sweep, point []Assignment) (Job, error) {
	s := base
	s.Hidden = append([]int(nil), base.Hidden...)
	all := append(append([]Assignment(nil), sw.Base...), point...)
	if ds := datasetIn(all); ds != "" && ds != base.Dataset {
		s = DefaultSettings(ds) // the data set brings its own defaults
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

// Shard returns the runs of shard i of n: every n-th run starting at i.
// Shards of one grid are disjoint and together hold every run.
func Shard(runs []Job, i, n int) ([]Job, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("shard %d/%d: want 0 ≤ i < n", i, n)
	}
	var out []Job
	for k := i; k < len(runs); k += n {
		out = append(out, runs[k])
	}
	return out, nil
}

// Completed reports whether run folder dir holds a completed record.
func Completed(dir string) bool {
	r, err := LoadRecord(filepath.Join(dir, RecordFile))
	return err == nil && r.Status == "completed"
}

// Outcome is what became of one run of a sweep.
type Outcome struct {
	Job     Job
	Skipped bool // completed by an earlier invocation
	Record  *Record
	Err     error
}

// Execute runs the runs into out, jobs at a time. Runs whose folder holds a
// completed record are skipped, so an interrupted sweep restarted with the
// same arguments only does what is missing. done, if set, is called as each
// run ends (from several goroutines, one at a time). A failed run does not
// stop the others; the returned error lists the failures.
func ExecuteSweep(ctx context.Context, runs []Job, out string, jobs int, hooks func(Job) Hooks, done func(Outcome)) error {
	if jobs < 1 {
		return fmt.Errorf("jobs: want ≥ 1, got %d", jobs)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("out: %w", err)
	}
	var (
		mu     sync.Mutex
		failed []string
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, jobs)
	for _, r := range runs {
		r.Settings.Out = out
		if Completed(filepath.Join(out, r.Name)) {
			report(&mu, done, Outcome{Job: r, Skipped: true})
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(r Job) {
			defer func() { <-sem; wg.Done() }()
			var h Hooks
			if hooks != nil {
				h = hooks(r)
			}
			rec, _, err := Execute(ctx, &r.Settings, h)
			if err != nil {
				mu.Lock()
				failed = append(failed, fmt.Sprintf("%s: %v", r.Name, err))
				mu.Unlock()
			}
			report(&mu, done, Outcome{Job: r, Record: rec, Err: err})
		}(r)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("sweep interrupted; completed runs are kept and skipped on restart: %w", ctx.Err())
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return fmt.Errorf("%d runs failed:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return nil
}

func report(mu *sync.Mutex, done func(Outcome), o Outcome) {
	if done == nil {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	done(o)
}

// ParseSweeps reads a sweep file: either one sweep or, under "sweeps:", a
// list of them. A sweep has an optional name, base (settings applied to all
// its runs), grid (setting: list of values) and variants (a list of setting
// maps; the grid is run for each):
//
//	name: surrogates
//	base: {epochs: 30}
//	grid:
//	  surrogate: [superspike, sigmoid, esser]
//	  beta: [1, 10, 100]
//	  seed: [1, 2, 3]
//	variants:
//	  - {hidden: [100]}
//	  - {hidden: [100, 100]}
//
// Keys are setting names; unknown keys are errors naming the line.
func ParseSweeps(doc []byte) ([]Sweep, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("want a mapping with base, grid and variants, or sweeps")
	}
	m := root.Content[0]
	if list := mapGet(m, "sweeps"); list != nil {
		if list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("line %d: sweeps: want a list", list.Line)
		}
		var out []Sweep
		for _, n := range list.Content {
			sw, err := parseSweep(n)
			if err != nil {
				return nil, err
			}
			out = append(out, sw)
		}
		return out, nil
	}
	sw, err := parseSweep(m)
	return []Sweep{sw}, err
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func parseSweep(m *yaml.Node) (Sweep, error) {
	var sw Sweep
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return sw, fmt.Errorf("line %d: want a sweep mapping", m.Line)
	}
	var probe Settings
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		var err error
		switch k.Value {
		case "name":
			sw.Name = v.Value
		case "base":
			sw.Base, err = assignments(v, &probe)
		case "grid":
			sw.Grid, err = axes(v, &probe)
		case "variants":
			if v.Kind != yaml.SequenceNode {
				return sw, fmt.Errorf("line %d: variants: want a list of setting maps", v.Line)
			}
			for _, e := range v.Content {
				as, err := assignments(e, &probe)
				if err != nil {
					return sw, err
				}
				sw.Variants = append(sw.Variants, as)
			}
		default:
			err = fmt.Errorf("line %d: unknown key %q (want name, base, grid or variants)", k.Line, k.Value)
		}
		if err != nil {
			return sw, err
		}
	}
	return sw, nil
}

// deref follows a YAML alias (*name) to its anchored node.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// assignments reads a mapping of setting: value.
func assignments(m *yaml.Node, probe *Settings) ([]Assignment, error) {
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of setting: value", m.Line)
	}
	var out []Assignment
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		if _, ok := probe.Lookup(k.Value); !ok {
			return nil, fmt.Errorf("line %d: unknown setting %q", k.Line, k.Value)
		}
		out = append(out, Assignment{k.Value, text(v)})
	}
	return out, nil
}

// axes reads a mapping of setting: [values].
func axes(m *yaml.Node, probe *Settings) ([]Axis, error) {
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: grid: want a mapping of setting: [values]", m.Line)
	}
	var out []Axis
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, ok := probe.Lookup(k.Value); !ok {
			return nil, fmt.Errorf("line %d: unknown setting %q", k.Line, k.Value)
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return nil, fmt.Errorf("line %d: grid %s: want a non-empty list of values", v.Line, k.Value)
		}
		ax := Axis{Key: k.Value}
		for _, e := range v.Content {
			ax.Values = append(ax.Values, text(e))
		}
		out = append(out, ax)
	}
	return out, nil
}

// text turns a YAML value into a setting's text form; a list (hidden layer
// sizes) becomes comma-separated.
func text(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		parts := make([]string, len(n.Content))
		for i, e := range n.Content {
			parts[i] = e.Value
		}
		if len(parts) == 0 {
			return "0"
		}
		return strings.Join(parts, ",")
	}
	return n.Value
}

// ShardFromEnv reads a shard assignment from a Slurm job array
// (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN) or a
// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the shard count in
// SPIKEGRAD_SHARDS). ok is false when neither is set.
func ShardFromEnv(getenv func(string) string) (i, n int, ok bool, err error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		i, err = strconv.Atoi(id)
		if err == nil && getenv("SLURM_ARRAY_TASK_MIN") != "" {
			var lo int
			lo, err = strconv.Atoi(getenv("SLURM_ARRAY_TASK_MIN"))
			i -= lo
		}
		if err == nil {
			n, err = strconv.Atoi(getenv("SLURM_ARRAY_TASK_COUNT"))
		}
		if err != nil {
			return 0, 0, false, fmt.Errorf("SLURM_ARRAY_TASK_ID/COUNT/MIN: %w", err)
		}
		return i, n, true, nil
	}
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		i, err = strconv.Atoi(idx)
		if err == nil {
			n, err = strconv.Atoi(getenv("SPIKEGRAD_SHARDS"))
		}
		if err != nil {
			return 0, 0, false, fmt.Errorf("JOB_COMPLETION_INDEX/SPIKEGRAD_SHARDS: %w", err)
		}
		return i, n, true, nil
	}
	return 0, 0, false, nil
}

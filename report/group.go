package report

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/run"
)

// Group is the runs that share the values of some settings.
type Group struct {
	Values []string // of the grouping settings, in their order, as flag text
	// Runs are all runs of the group, best on validation first: by
	// validation accuracy, then lower validation loss, then path, so the
	// order, and hence the selection, does not depend on load order.
	Runs []Run
	Summary
}

// Summary is the paper's statistic of a group: over the K best runs on
// validation out of N, the mean and sample standard deviation of their test
// accuracy. TestStd is NaN when K < 2.
type Summary struct {
	N, K           int
	TestMean       float64
	TestStd        float64
	ValidationMean float64 // of the same K runs
	SpikesMean     float64 // hidden spikes per test input, of the same K runs
}

// Top returns the K runs the summary is made of.
func (g Group) Top() []Run { return g.Runs[:g.K] }

// Label names the group as "key=value, key=value", or "all runs" when
// there are no keys.
func (g Group) Label(keys []string) string {
	if len(keys) == 0 {
		return "all runs"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + display(g.Values[i])
	}
	return strings.Join(parts, ", ")
}

// display shows an empty value (no hidden layer, say) as "none".
func display(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

// GroupBy groups runs by the values of the settings keys and summarises the
// best k runs on validation of each group (all of them if a group has
// fewer). Groups are ordered by their values, numbers as numbers. With no
// keys, all runs form one group.
func GroupBy(runs []Run, keys []string, k int) ([]Group, error) {
	g, err := groupBy(runs, keys, k)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return g, nil
}

// groupBy is GroupBy with errors that the figure functions prefix with
// their own name.
func groupBy(runs []Run, keys []string, k int) ([]Group, error) {
	if k < 1 {
		return nil, fmt.Errorf("top k: want ≥ 1, got %d", k)
	}
	if len(runs) == 0 {
		return nil, errors.New("no completed runs to group")
	}
	if err := CheckKeys(keys); err != nil {
		return nil, err
	}
	byValues := map[string]*Group{}
	var groups []*Group
	for _, r := range runs {
		vals := make([]string, len(keys))
		for i, key := range keys {
			vals[i], _ = r.Setting(key) // checked above
		}
		id := strings.Join(vals, "\x00")
		g := byValues[id]
		if g == nil {
			g = &Group{Values: vals}
			byValues[id] = g
			groups = append(groups, g)
		}
		g.Runs = append(g.Runs, r)
	}
	sort.SliceStable(groups, func(i, j int) bool { return lessValues(groups[i].Values, groups[j].Values) })
	out := make([]Group, len(groups))
	for i, g := range groups {
		sortByValidation(g.Runs)
		g.Summary = Summarize(g.Runs[:min(k, len(g.Runs))])
		g.Summary.N = len(g.Runs)
		out[i] = *g
	}
	return out, nil
}

// CheckKeys reports the first name that is not a setting, and duplicates.
// Its errors, like ParseKeys', carry no package prefix: callers name the
// flag or option at fault.
func CheckKeys(keys []string) error {
	s := run.DefaultSettings("randman")
	seen := map[string]bool{}
	for _, k := range keys {
		if _, ok := s.Lookup(k); !ok {
			return unknownSetting(k)
		}
		if seen[k] {
			return fmt.Errorf("setting %q named twice", k)
		}
		seen[k] = true
	}
	return nil
}

func unknownSetting(name string) error {
	s := run.DefaultSettings("randman")
	var names []string
	for _, st := range s.Table() {
		names = append(names, st.Name)
	}
	return fmt.Errorf("unknown setting %q%s: want one of %s", name, s.DidYouMean(name), strings.Join(names, ", "))
}

// ParseKeys splits a comma-separated list of setting names and checks them.
// An empty list is valid: no grouping.
func ParseKeys(list string) ([]string, error) {
	var keys []string
	for _, k := range strings.Split(list, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys, CheckKeys(keys)
}

// sortByValidation orders runs best first; see Group.Runs.
func sortByValidation(runs []Run) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, b := runs[i], runs[j]
		if a.Validation() != b.Validation() {
			return a.Validation() > b.Validation()
		}
		if la, lb := a.Record.Validation.Loss, b.Record.Validation.Loss; la != lb {
			return la < lb
		}
		return a.Path < b.Path
	})
}

// Summarize returns the summary of runs as they are, without selection.
func Summarize(runs []Run) Summary {
	s := Summary{N: len(runs), K: len(runs)}
	test := make([]float64, len(runs))
	var val, spikes float64
	for i, r := range runs {
		test[i] = r.Test()
		val += r.Validation()
		spikes += r.Spikes()
	}
	s.TestMean, s.TestStd = meanStd(test)
	s.ValidationMean = val / float64(len(runs))
	s.SpikesMean = spikes / float64(len(runs))
	return s
}

// meanStd returns the mean and the sample standard deviation (n − 1), NaN
// for fewer than two values: one run says nothing about the spread.
func meanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, math.NaN()
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// lessValues orders value lists element by element with lessValue.
func lessValues(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return lessValue(a[i], b[i])
		}
	}
	return false
}

// lessValue orders numbers numerically, before text, and text lexically.
func lessValue(a, b string) bool {
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	switch {
	case ea == nil && eb == nil:
		if fa != fb {
			return fa < fb
		}
		return a < b
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

// distinct returns the distinct values of position i of the groups' values,
// ordered.
func distinct(groups []Group, i int) []string {
	seen := map[string]bool{}
	var out []string
	for _, g := range groups {
		if v := g.Values[i]; !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return lessValue(out[a], out[b]) })
	return out
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

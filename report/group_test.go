package report_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report"
)

func TestLoadCountsStatusesAndListsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, fakeRun{name: "a", val: 0.9, test: 0.8})
	writeRun(t, dir, fakeRun{name: "deep/er/b", val: 0.7, test: 0.6})
	writeRun(t, dir, fakeRun{name: "c", status: "running", val: 0.5})
	writeRun(t, dir, fakeRun{name: "d", status: "failed"})
	writeRun(t, dir, fakeRun{name: "e", status: "failed"})
	bad := filepath.Join(dir, "broken", "record.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte(`{"status": "completed", `), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "other.json"), []byte(`{}`), 0o644) // not a record name: ignored

	set, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Runs) != 2 || set.Excluded["running"] != 1 || set.Excluded["failed"] != 2 {
		t.Errorf("runs %d, excluded %v", len(set.Runs), set.Excluded)
	}
	if len(set.Skipped) != 1 || !strings.Contains(set.Skipped[0].Error(), bad) {
		t.Errorf("skipped %v, want one error naming %s", set.Skipped, bad)
	}
	want := "2 completed runs; left out: 2 failed, 1 running; 1 unreadable record files"
	if got := set.Describe(); got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	// A record file named directly, and a glob, load too; duplicates once.
	set, err = report.Load(filepath.Join(dir, "a", "record.json"), filepath.Join(dir, "[ab]"), filepath.Join(dir, "a"))
	if err != nil || len(set.Runs) != 1 {
		t.Errorf("explicit file and glob: %v, %d runs", err, len(set.Runs))
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	cases := map[string][]string{
		"no run folders":  nil,
		"no such file":    {filepath.Join(empty, "missing")},
		"matches no file": {filepath.Join(empty, "*.json")},
		"no record.json":  {empty},
		"syntax error":    {filepath.Join(empty, "[")},
	}
	for want, args := range cases {
		_, err := report.Load(args...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%q) = %v, want an error saying %q", args, err, want)
		}
	}
}

// TestTopKSelection checks the paper's protocol on hand-computed numbers:
// the k best on validation, not on test, and the sample std of their test
// accuracy.
func TestTopKSelection(t *testing.T) {
	dir := t.TempDir()
	// val, test: the test-best run (0.99) is last on validation and must
	// not be chosen.
	runs := [][2]float64{{0.95, 0.90}, {0.94, 0.80}, {0.93, 0.85}, {0.60, 0.99}, {0.92, 0.70}}
	for i, vt := range runs {
		writeRun(t, dir, fakeRun{name: string(rune('a' + i)), val: vt[0], test: vt[1], spikes: []float64{float64(10 * (i + 1))}})
	}
	set := load(t, dir)
	groups, err := report.GroupBy(set.Runs, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 {
		t.Fatalf("%d groups, want 1", len(groups))
	}
	g := groups[0]
	// Top 3 on validation: a, b, c with test 0.90, 0.80, 0.85.
	mean := (0.90 + 0.80 + 0.85) / 3
	std := math.Sqrt((sq(0.90-mean) + sq(0.80-mean) + sq(0.85-mean)) / 2)
	if g.N != 5 || g.K != 3 || !near(g.TestMean, mean) || !near(g.TestStd, std) {
		t.Errorf("N %d K %d test %g ± %g, want 5 3 %g ± %g", g.N, g.K, g.TestMean, g.TestStd, mean, std)
	}
	if !near(g.ValidationMean, (0.95+0.94+0.93)/3) || !near(g.SpikesMean, 20) {
		t.Errorf("validation mean %g, spikes mean %g", g.ValidationMean, g.SpikesMean)
	}
	for i, r := range g.Top() {
		if want := string(rune('a' + i)); filepath.Base(filepath.Dir(r.Path)) != want {
			t.Errorf("top %d is %s, want %s", i, r.Path, want)
		}
	}
	// k larger than the group: all runs, and k = 1: no spread.
	if groups, _ = report.GroupBy(set.Runs, nil, 10); groups[0].K != 5 {
		t.Errorf("k = 10 of 5 runs used %d", groups[0].K)
	}
	if groups, _ = report.GroupBy(set.Runs, nil, 1); !math.IsNaN(groups[0].TestStd) || groups[0].TestMean != 0.90 {
		t.Errorf("k = 1: %g ± %g, want 0.9 ± NaN", groups[0].TestMean, groups[0].TestStd)
	}
}

// TestTiesBreakOnValidationLoss: equal validation accuracy is decided by
// validation loss, never by test accuracy.
func TestTiesBreakOnValidationLoss(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, fakeRun{name: "a", val: 0.9, valLoss: 0.5, test: 0.95})
	writeRun(t, dir, fakeRun{name: "b", val: 0.9, valLoss: 0.3, test: 0.50})
	groups, err := report.GroupBy(load(t, dir).Runs, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if groups[0].TestMean != 0.50 {
		t.Errorf("tie chose test %g, want the lower-loss run's 0.5", groups[0].TestMean)
	}
}

func TestGroupByMultipleKeys(t *testing.T) {
	dir := t.TempDir()
	add := func(name, shape, beta string, val, test float64) {
		writeRun(t, dir, fakeRun{name: name, val: val, test: test, set: map[string]string{"surrogate": shape, "beta": beta}})
	}
	add("1", "sigmoid", "10", 0.9, 0.9)
	add("2", "sigmoid", "2", 0.8, 0.7)
	add("3", "superspike", "10", 0.9, 0.8)
	add("4", "sigmoid", "10", 0.7, 0.6)
	add("5", "sigmoid", "100", 0.5, 0.5)
	add("6", "esser", "2", 0.4, 0.3)
	groups, err := report.GroupBy(load(t, dir).Runs, []string{"surrogate", "beta"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	// Ordered by surrogate, then β numerically (2 < 10 < 100).
	want := []struct {
		vals string
		n    int
		mean float64
	}{{"esser 2", 1, 0.3}, {"sigmoid 2", 1, 0.7}, {"sigmoid 10", 2, 0.75}, {"sigmoid 100", 1, 0.5}, {"superspike 10", 1, 0.8}}
	if len(groups) != len(want) {
		t.Fatalf("%d groups, want %d", len(groups), len(want))
	}
	for i, w := range want {
		g := groups[i]
		if strings.Join(g.Values, " ") != w.vals || g.N != w.n || !near(g.TestMean, w.mean) {
			t.Errorf("group %d: %v n %d mean %g, want %s n %d mean %g", i, g.Values, g.N, g.TestMean, w.vals, w.n, w.mean)
		}
	}
	if got := groups[2].Label([]string{"surrogate", "beta"}); got != "surrogate=sigmoid, beta=10" {
		t.Errorf("label %q", got)
	}
}

func TestGroupByErrors(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, fakeRun{name: "a", val: 0.9, test: 0.8})
	runs := load(t, dir).Runs
	cases := []struct {
		runs []report.Run
		keys []string
		k    int
		want string
	}{
		{runs, nil, 0, "want ≥ 1, got 0"},
		{nil, nil, 3, "no completed runs"},
		{runs, []string{"betaa"}, 3, `unknown setting "betaa"`},
		{runs, []string{"beta", "beta"}, 3, `"beta" named twice`},
	}
	for _, c := range cases {
		_, err := report.GroupBy(c.runs, c.keys, c.k)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("GroupBy(%d runs, %v, %d) = %v, want %q", len(c.runs), c.keys, c.k, err, c.want)
		}
	}
	if _, err := report.ParseKeys(" surrogate, beta ,"); err != nil {
		t.Error(err)
	}
}

func sq(x float64) float64 { return x * x }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

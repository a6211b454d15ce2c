package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/report"
	runs "github.com/spikegrad/spikegrad/run"
)

func TestWriteTableOnly(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "new")
	for name, r := range map[string]struct {
		readout   string
		val, test float64
	}{"a": {"sum", 0.9, 0.8}, "b": {"max", 0.8, 0.7}} {
		s := runs.DefaultSettings("randman")
		s.Readout = r.readout
		save(t, filepath.Join(dir, name), &runs.Record{Status: "completed", Settings: s,
			Validation: metrics.Metrics{Accuracy: r.val}, Test: &metrics.Metrics{Accuracy: r.test}})
	}
	set, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := write(set, options{Out: out, Top: 5, Group: []string{"readout"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || filepath.Base(files[0]) != csvFile || filepath.Base(files[1]) != markdownFile {
		t.Errorf("files %v", files)
	}
	md, _ := os.ReadFile(filepath.Join(out, markdownFile))
	if !strings.Contains(string(md), "| max | 1 | 1 | 70.0 ± – |") || strings.Contains(string(md), ".png") {
		t.Errorf("report.md:\n%s", md)
	}
}

func TestWriteWithoutCompletedRuns(t *testing.T) {
	dir := t.TempDir()
	save(t, filepath.Join(dir, "a"), &runs.Record{Status: "interrupted", Settings: runs.DefaultSettings("randman")})
	set, err := report.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "no completed runs with test metrics (0 completed runs; left out: 1 interrupted)"
	if _, err := write(set, options{Out: t.TempDir(), Top: 5}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%v, want %q", err, want)
	}
}

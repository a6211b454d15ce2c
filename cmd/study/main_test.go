package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadArguments(t *testing.T) {
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--out", empty}, 2, "--runs"},
		{[]string{"--runs", empty}, 2, "--out"},
		{[]string{"--runs", empty, "--out", empty, "extra"}, 2, `"extra"`},
		{[]string{"--runs", empty, "--out", empty}, 1, "--runs"},
		{[]string{"--runs", filepath.Join(empty, "none"), "--out", empty}, 1, "--runs"},
		{[]string{"--nope"}, 2, "-nope"},
	} {
		var out, errs bytes.Buffer
		if code := run(c.args, &out, &errs); code != c.code || !strings.Contains(errs.String(), c.says) {
			t.Errorf("%v: exit %d, want %d naming %s:\n%s", c.args, code, c.code, c.says, errs.String())
		}
	}
}

// Baseline files: one per data set, and a file that is no results file
// is refused by name.
func TestBadBaselines(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(runs, "r", "record.json"), `{"status": "completed", "settings": {"dataset": "rawhd"}, "test": {"n": 1, "accuracy": 0.5}}`)
	base := filepath.Join(dir, "base")
	write(filepath.Join(base, "baseline_a.json"), `{"dataset": "rawhd"}`)
	write(filepath.Join(base, "baseline_b.json"), `{"dataset": "rawhd"}`)
	var out, errs bytes.Buffer
	if code := run([]string{"--runs", runs, "--baselines", base, "--out", filepath.Join(dir, "page")}, &out, &errs); code != 1 || !strings.Contains(errs.String(), `two files of data set "rawhd"`) {
		t.Errorf("two files of one data set: exit %d\n%s", code, errs.String())
	}
	write(filepath.Join(base, "baseline_b.json"), `[1, 2]`)
	errs.Reset()
	if code := run([]string{"--runs", runs, "--baselines", base, "--out", filepath.Join(dir, "page")}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "baseline_b.json") {
		t.Errorf("a file that is no results file: exit %d\n%s", code, errs.String())
	}
}

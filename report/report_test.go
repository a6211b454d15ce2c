package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/report"
)

func TestWriteTableOnly(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "new")
	writeRun(t, dir, fakeRun{name: "a", val: 0.9, test: 0.8, set: map[string]string{"readout": "sum"}})
	writeRun(t, dir, fakeRun{name: "b", val: 0.8, test: 0.7, set: map[string]string{"readout": "max"}})
	files, err := report.Write(load(t, dir), report.Options{Out: out, Top: 5, Group: []string{"readout"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || filepath.Base(files[0]) != report.CSVFile || filepath.Base(files[1]) != report.MarkdownFile {
		t.Errorf("files %v", files)
	}
	md, _ := os.ReadFile(filepath.Join(out, report.MarkdownFile))
	if !strings.Contains(string(md), "| max | 1 | 1 | 70.0 ± – |") || strings.Contains(string(md), ".png") {
		t.Errorf("report.md:\n%s", md)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	writeRun(t, dir, fakeRun{name: "a", status: "interrupted"})
	set := load(t, dir)
	out := t.TempDir()
	cases := []struct {
		set  *report.Set
		o    report.Options
		want string
	}{
		{set, report.Options{Out: out, Top: 5}, "no completed runs with test metrics (0 completed runs; left out: 1 interrupted)"},
		{set, report.Options{Out: out, Top: 0}, "top: want k ≥ 1"},
		{set, report.Options{Out: "", Top: 1}, "out: no output folder"},
		{set, report.Options{Out: out, Top: 1, Heatmap: []string{"beta"}}, "heatmap: want two settings"},
		{set, report.Options{Out: out, Top: 1, Group: []string{"x"}}, `group: unknown setting "x"`},
		{set, report.Options{Out: out, Top: 1, BarsColor: "beta"}, "bars-color: needs bars"},
		{nil, report.Options{Out: out, Top: 1, Spikes: true}, "need run records"},
		{nil, report.Options{Out: out, Top: 1}, "nothing to report"},
	}
	for _, c := range cases {
		if _, err := report.Write(c.set, c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
}

package report_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/spikegrad/spikegrad/report"
)

func tableGroups(t *testing.T) []report.Group {
	dir := t.TempDir()
	writeRun(t, dir, fakeRun{name: "1", val: 0.9, test: 0.9, spikes: []float64{30, 10}, set: map[string]string{"surrogate": "esser", "hidden": "100,100"}})
	writeRun(t, dir, fakeRun{name: "2", val: 0.8, test: 0.8, spikes: []float64{50, 10}, set: map[string]string{"surrogate": "esser", "hidden": "100,100"}})
	writeRun(t, dir, fakeRun{name: "3", val: 0.5, test: 0.4, spikes: []float64{5}, set: map[string]string{"surrogate": "esser", "hidden": "0"}})
	groups, err := report.GroupBy(load(t, dir).Runs, []string{"hidden", "surrogate"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	return groups
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteMarkdown(&b, []string{"hidden", "surrogate"}, tableGroups(t)); err != nil {
		t.Fatal(err)
	}
	want := "| hidden | surrogate | runs | top k | test accuracy (%), mean ± std | validation accuracy (%), mean | hidden spikes / input, mean |\n" +
		"| --- | --- | ---: | ---: | ---: | ---: | ---: |\n" +
		"| none | esser | 1 | 1 | 40.0 ± – | 50.0 | 5.00 |\n" +
		"| 100,100 | esser | 2 | 2 | 85.0 ± 7.1 | 85.0 | 50.0 |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteCSV(&b, []string{"hidden", "surrogate"}, tableGroups(t)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"hidden", "surrogate", "runs", "k", "test_mean", "test_std", "validation_mean", "spikes_mean"}
	if len(recs) != 3 || !equal(recs[0], head) {
		t.Fatalf("got %q", recs)
	}
	if !equal(recs[1], []string{"", "esser", "1", "1", "0.4", "", "0.5", "5"}) {
		t.Errorf("row 1 %q", recs[1])
	}
	row := recs[2]
	mean, _ := strconv.ParseFloat(row[4], 64)
	std, _ := strconv.ParseFloat(row[5], 64)
	if !equal(row[:4], []string{"100,100", "esser", "2", "2"}) || !near(mean, 0.85) || math.Abs(std-math.Sqrt(0.005)) > 1e-12 || row[7] != "50" {
		t.Errorf("row 2 %q", row)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

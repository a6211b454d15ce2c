package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/metrics"
	runs "github.com/spikegrad/spikegrad/run"
)

// writeRuns writes a small sweep: surrogate × β × lr × 2 seeds, one and
// two hidden layers, with accuracy rising with spikes, and returns the folder.
func writeRuns(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	i := 0
	for _, shape := range []string{"superspike", "esser"} {
		for _, beta := range []string{"1", "10"} {
			for _, lr := range []string{"0.001", "0.005"} {
				for _, hidden := range []string{"100", "100,100"} {
					for seed := 1; seed <= 2; seed++ {
						i++
						s := runs.DefaultSettings("randman")
						for k, v := range map[string]string{"surrogate": shape, "beta": beta, "lr": lr, "hidden": hidden, "seed": fmt.Sprint(seed)} {
							if err := s.Set(k, v); err != nil {
								t.Fatal(err)
							}
						}
						spikes := 3 * math.Pow(1.25, float64(i))
						acc := 0.1 + 0.8/(1+math.Exp(-(math.Log(spikes)-math.Log(40))/0.4))
						rec := &runs.Record{Status: "completed", Settings: s, Data: runs.DataInfo{Classes: 10},
							Validation: metrics.Metrics{Accuracy: acc + 0.001*float64(seed)},
							Test:       &metrics.Metrics{Accuracy: acc, SpikesPerInput: []float64{spikes}},
							Activity:   []metrics.SpikeStats{{Neurons: 4, PerInput: spikes, NeuronMeans: []float64{0, spikes / 4, spikes / 2, spikes / 4}}}}
						save(t, filepath.Join(dir, fmt.Sprintf("run%02d", i)), rec)
					}
				}
			}
		}
	}
	save(t, filepath.Join(dir, "interrupted"), &runs.Record{Status: "interrupted", Settings: runs.DefaultSettings("randman")})
	return dir
}

func save(t *testing.T, dir string, rec *runs.Record) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := rec.Save(filepath.Join(dir, runs.RecordFile)); err != nil {
		t.Fatal(err)
	}
}

func snapshotFile(t *testing.T) string {
	t.Helper()
	const T, in, h, c = 30, 6, 8, 3
	sn := metrics.Snapshot{Label: 1, Predicted: 1}
	for n := range T {
		row, sp, u, ro := make([]float64, in), make([]float64, h), make([]float64, h), make([]float64, c)
		row[n%in] = 1
		sp[n%h] = float64(n % 2)
		for j := range u {
			u[j] = math.Sin(float64(n+j) / 3)
		}
		ro[1] = float64(n) / T
		sn.Input = append(sn.Input, row)
		sn.Readout = append(sn.Readout, ro)
		if n == 0 {
			sn.Spikes, sn.Membrane = [][][]float64{nil}, [][][]float64{nil}
		}
		sn.Spikes[0] = append(sn.Spikes[0], sp)
		sn.Membrane[0] = append(sn.Membrane[0], u)
	}
	b, _ := json.Marshal([]metrics.Snapshot{sn, sn})
	p := filepath.Join(t.TempDir(), "snapshot.json")
	os.WriteFile(p, b, 0o644)
	return p
}

func TestWritesReportAndFigures(t *testing.T) {
	dir, out := writeRuns(t), t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"--runs", dir, "--group", "surrogate,beta", "--top", "2", "--out", out,
		"--heatmap", "beta,lr", "--bars", "surrogate", "--bars-color", "beta", "--spikes", "--spikes-by", "hidden",
		"--hist", "--hist-by", "hidden", "--snapshot", snapshotFile(t), "--surrogates"}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "32 completed runs; left out: 1 interrupted") {
		t.Errorf("stderr: %s", stderr.String())
	}
	for _, f := range []string{"report.md", "report.csv", "heatmap.png", "bars.png", "spikes.png", "histogram.png", "snapshot.png", "surrogates.png"} {
		if !strings.Contains(stdout.String(), filepath.Join(out, f)) {
			t.Errorf("stdout does not mention %s:\n%s", f, stdout.String())
		}
		if strings.HasSuffix(f, ".png") {
			fh, err := os.Open(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.DecodeConfig(fh); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			fh.Close()
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	for _, want := range []string{"| surrogate | beta | runs | top k |", "| esser | 1 | 8 | 2 |", "![Accuracy against hidden spikes](spikes.png)",
		"transition (spikes / input)", "1 interrupted"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(out, "report.csv"))
	if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); len(lines) != 5 || lines[0] != "surrogate,beta,runs,k,test_mean,test_std,validation_mean,spikes_mean" {
		t.Errorf("report.csv:\n%s", csv)
	}
}

func TestSurrogatesNeedNoRuns(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--surrogates", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "surrogates.png")); err != nil {
		t.Error(err)
	}
}

func TestBadInputNamesTheFlag(t *testing.T) {
	folder := writeRuns(t)
	broken := t.TempDir()
	save(t, filepath.Join(broken, "ok"), &runs.Record{Status: "completed", Settings: runs.DefaultSettings("randman"), Test: &metrics.Metrics{}})
	os.MkdirAll(filepath.Join(broken, "bad"), 0o755)
	os.WriteFile(filepath.Join(broken, "bad", "record.json"), []byte("{not json"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "--runs is required"},
		{[]string{"--runs", folder, "--group", "surogate"}, `--group: unknown setting "surogate"`},
		{[]string{"--runs", folder, "--top", "0"}, "--top: want k ≥ 1"},
		{[]string{"--runs", folder, "--heatmap", "beta"}, "--heatmap: want two settings"},
		{[]string{"--runs", folder, "--bars-color", "beta"}, "--bars-color: needs --bars"},
		{[]string{"--runs", folder, "--bars", "beta", "--bars-color", "betta"}, `--bars-color: unknown setting "betta"`},
		{[]string{"--runs", folder, "--chance", "2"}, "--chance: want auto, none or a fraction"},
		{[]string{"--runs", folder, "--hist-layer", "-1"}, "--hist-layer"},
		{[]string{"--runs", folder, "--snapshot-dt", "0"}, "--snapshot-dt"},
		{[]string{"--spikes", "--surrogates"}, "--runs is required for"},
		{[]string{"--runs", folder, "extra"}, `stat extra`},
		{[]string{"--runs", t.TempDir()}, "no record.json under"},
		{[]string{"--runs", filepath.Join(folder, "nothing*")}, "matches no file"},
		{[]string{"--runs", broken, "--strict", "--out", t.TempDir()}, "bad/record.json"},
		{[]string{"--runs", folder, "--out", t.TempDir(), "--snapshot", filepath.Join(folder, "missing.json")}, "missing.json"},
		{[]string{"--runs", folder, "--out", t.TempDir(), "--spikes-by", "hidden", "--hist", "--hist-layer", "3"}, "report: histogram: no run has per-neuron activity"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", c.args, code, stderr.String(), c.want)
		}
	}
}

// TestUnreadableRecordsAreReported: without --strict a broken record is
// listed, on stderr and in the report, not dropped silently.
func TestUnreadableRecordsAreReported(t *testing.T) {
	dir, out := writeRuns(t), t.TempDir()
	bad := filepath.Join(dir, "bad", "record.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte(`{"status": "completed"`), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--runs", dir, "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(stderr.String(), bad) || !strings.Contains(string(md), bad) {
		t.Errorf("broken record not named:\nstderr %s\nreport.md %s", stderr.String(), md)
	}
}

// Issue 23, item 11: the README's `go run ./cmd/report sweeps/…` failed
// with "unexpected argument"; --out's default, report, wrote into the
// report/ Go package when run from the repository; and the default report
// drew no figure.
func TestDefaultReportOfAFolder(t *testing.T) {
	dir := writeRuns(t)
	cwd := t.TempDir()
	t.Chdir(cwd)
	var stdout, stderr bytes.Buffer
	if code := run([]string{dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(cwd, "report")); err == nil {
		t.Error("the report went into the current folder")
	}
	out := filepath.Join(dir, "report")
	for _, f := range []string{"report.md", "report.csv", "spikes.png", "histogram.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("default report: %v", err)
		}
	}
	// With --group, the groups get bars.
	stdout.Reset()
	if code := run([]string{"--group", "surrogate", "--runs", dir}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), filepath.Join(out, "bars.png")) {
		t.Errorf("--group: exit %d, %s%s", code, stdout.String(), stderr.String())
	}
}

// An --out that holds Go source is a package folder, never a report's.
func TestOutIntoSourceIsRefused(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "doc.go"), []byte("package report\n"), 0o644)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--surrogates", "--out", src}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "--out") || !strings.Contains(stderr.String(), "Go source") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// Every cmd/report command of the README parses, and writes no report
// into the current folder.
func TestReadmeCommandsParse(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		_, cmd, ok := strings.Cut(line, "go run ./cmd/report ")
		if !ok {
			continue
		}
		cmd, _, _ = strings.Cut(cmd, "`")
		n++
		c, err := parse(strings.Fields(cmd), io.Discard)
		if err != nil {
			t.Errorf("README: go run ./cmd/report %s: %v", cmd, err)
			continue
		}
		if filepath.Dir(c.opt.Out) == "." {
			t.Errorf("README: go run ./cmd/report %s writes into the current folder (%s)", cmd, c.opt.Out)
		}
	}
	if n == 0 {
		t.Error("the README shows no cmd/report command")
	}
}

// A default figure that the records cannot give is left out with a note,
// on stderr and in the report, rather than failing the table.
func TestDefaultFigureThatCannotBeDrawnIsNoted(t *testing.T) {
	dir := t.TempDir()
	for i, acc := range []float64{0.6, 0.7} {
		save(t, filepath.Join(dir, fmt.Sprint("run", i)), &runs.Record{Status: "completed", Settings: runs.DefaultSettings("randman"),
			Validation: metrics.Metrics{Accuracy: acc}, Test: &metrics.Metrics{Accuracy: acc, SpikesPerInput: []float64{10 * acc}}})
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report", "report.md"))
	if !strings.Contains(stderr.String(), "report: figure left out: report: histogram") || !strings.Contains(string(md), "## Figures left out") {
		t.Errorf("stderr %q\nreport.md:\n%s", stderr.String(), md)
	}
}

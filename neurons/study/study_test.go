package study_test

import (
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/baseline"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/neurons/study"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/run"

	"gorgonia.org/tensor"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func init() { network.Register(learntau.Neuron{Gamma: true}) }

// record is a completed run of a small network with the given outcome;
// learnt per-neuron parameters are the initial ones shifted by shift.
func record(t *testing.T, dataset, neuron, lr string, seed uint64, val, test, shift float64) report.Run {
	t.Helper()
	s := run.DefaultSettings("randman")
	s.Dataset, s.Neuron, s.Seed, s.Hidden = dataset, neuron, seed, []int{6}
	if err := s.Set("lr", lr); err != nil {
		t.Fatal(err)
	}
	rec := &run.Record{Status: "completed", Settings: s, Data: run.DataInfo{Name: dataset, Inputs: 3, Classes: 2, Steps: s.Steps},
		Validation: metrics.Metrics{Accuracy: val, N: 100}, Test: &metrics.Metrics{Accuracy: test, N: 100, SpikesPerInput: []float64{10 * test}}}
	spec, err := s.Spec(3, 2)
	if err != nil {
		t.Fatal(err)
	}
	w, err := models.Init(spec, seed, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	if p := w.PerNeuron(); p != nil {
		for _, v := range p {
			for i := range v {
				v[i] += shift
			}
		}
		rec.NeuronParams = p
	}
	return report.Run{Path: fmt.Sprintf("%s/%s/%s/%d/record.json", dataset, neuron, lr, seed), Record: rec}
}

// runs is a study of two models on two data sets, two step sizes and
// three seeds, where η = 0.005 wins on validation everywhere but for the
// LIF on "b", whose step sizes tie (the first is taken).
func runs(t *testing.T) []report.Run {
	var out []report.Run
	for _, d := range []string{"b", "a"} {
		for _, n := range []string{learntau.GammaName, network.DefaultNeuron} {
			for _, lr := range []string{"0.005", "0.002"} {
				for seed := uint64(1); seed <= 3; seed++ {
					val, test := 0.6+0.01*float64(seed), 0.55+0.02*float64(seed)
					if lr == "0.005" && !(d == "b" && n == network.DefaultNeuron) {
						val += 0.05
					}
					if n != network.DefaultNeuron {
						test += 0.1
					}
					out = append(out, record(t, d, n, lr, seed, val, test, 0.5))
				}
			}
		}
	}
	return out
}

func TestSelectChoosesOnValidation(t *testing.T) {
	cells, err := study.Select(runs(t), []string{"b"})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ dataset, neuron, lr string }{
		{"b", "lif", "0.002"}, {"b", learntau.GammaName, "0.005"}, {"a", "lif", "0.005"}, {"a", learntau.GammaName, "0.005"}}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i, w := range want {
		c := cells[i]
		if c.Dataset != w.dataset || c.Neuron != w.neuron || c.LR != w.lr || len(c.Runs) != 3 || c.Seeds() != 3 {
			t.Errorf("cell %d: %s %s η %s with %d runs, want %s %s η %s with 3", i, c.Dataset, c.Neuron, c.LR, len(c.Runs), w.dataset, w.neuron, w.lr)
		}
		if edge := map[string]string{"0.002": "smallest", "0.005": "largest"}[w.lr]; c.Edge() != edge {
			t.Errorf("cell %d: η %s of 0.002 and 0.005 is on the edge %q, want %q", i, c.LR, c.Edge(), edge)
		}
		if math.Abs(c.Test.Mean-(0.59+map[bool]float64{true: 0, false: 0.1}[c.Neuron == "lif"])) > 1e-12 {
			t.Errorf("cell %d: test mean %g", i, c.Test.Mean)
		}
	}
}

func TestWelch(t *testing.T) {
	d := study.Welch(baseline.Stats{Mean: 0.8, Std: 0.05, N: 5}, baseline.Stats{Mean: 0.7, Std: 0.1, N: 5})
	// df = (va + vb)² / (va²/4 + vb²/4), va = 0.0005, vb = 0.002.
	if math.Abs(d.Mean-0.1) > 1e-12 || math.Abs(d.DF-6.25e-6/1.0625e-6) > 1e-9 {
		t.Errorf("difference %g, df %g", d.Mean, d.DF)
	}
	// t(0.975) lies between its values at 6 and 5 degrees of freedom; se = 0.05.
	if d.CI95 < 2.4469*0.05 || d.CI95 > 2.5706*0.05 || d.Verdict() != "level" {
		t.Errorf("CI %g, verdict %s", d.CI95, d.Verdict())
	}
	if v := study.Welch(baseline.Stats{Mean: 0.9, Std: 0.01, N: 5}, baseline.Stats{Mean: 0.7, Std: 0.01, N: 5}).Verdict(); v != "above" {
		t.Errorf("a clear gain reads %q", v)
	}
	if v := study.Welch(baseline.Stats{Mean: 0.9, N: 1}, baseline.Stats{Mean: 0.7, Std: 0.01, N: 5}).Verdict(); v != "not measured" {
		t.Errorf("one seed reads %q", v)
	}
}

// The page and its numbers are golden; the figures are drawn.
func TestWriteIsGolden(t *testing.T) {
	cells, err := study.Select(runs(t), []string{"b"})
	if err != nil {
		t.Fatal(err)
	}
	mlp := &baseline.Report{Dataset: "a", Features: 300, Bin: 1, Fits: []baseline.ModelSearch{{Model: "mlp",
		Searched: baseline.Searched{Selected: baseline.Config{LR: 1e-3, L2: 1e-3, Hidden: 128}, Test: baseline.StatsOf([]float64{0.6, 0.62, 0.64})}}}}
	out := t.TempDir()
	only := &baseline.Report{Dataset: "c", Features: 40, Bin: 10, Fits: []baseline.ModelSearch{{Model: "mlp",
		Searched: baseline.Searched{Selected: baseline.Config{LR: 3e-3, L2: 1e-2, Hidden: 128}, Test: baseline.StatsOf([]float64{0.5, 0.52})}}}}
	p := study.Page{Title: "A study", Intro: []string{"Made by a test."}, Cells: cells, MLP: map[string]*baseline.Report{"a": mlp, "c": only}}
	if err := study.Write(out, p); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{study.PageFile, study.NumbersFile} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", f+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", f, golden, got)
		}
	}
	figs, _ := filepath.Glob(filepath.Join(out, study.FiguresDir, "*.png"))
	// accuracy, and τ_mem and τ_syn of the hidden layer of two cells.
	if len(figs) != 5 {
		t.Errorf("%d figures: %v", len(figs), figs)
	}
	for _, f := range figs {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil || img.Bounds().Dx() < 500 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Records are input: a data set named to climb out of the page's folder
// draws its figures inside it, and a network too large to draw its
// initial parameters again is refused by name, not allocated.
func TestCraftedRecords(t *testing.T) {
	rs := runs(t)
	for i := range rs {
		if rs[i].Record.Settings.Dataset == "a" {
			rs[i].Record.Settings.Dataset = "../../escape"
		}
	}
	cells, err := study.Select(rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	out := filepath.Join(root, "page")
	if err := study.Write(out, study.Page{Title: "crafted", Cells: cells}); err != nil {
		t.Fatal(err)
	}
	err = filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && !strings.HasPrefix(p, filepath.Join(out, study.FiguresDir)+string(filepath.Separator)) &&
			filepath.Dir(p) != out {
			t.Errorf("%s written outside the page's folder", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	huge := record(t, "a", learntau.GammaName, "0.005", 1, 0.6, 0.6, 0)
	huge.Record.Data.Inputs = 1 << 40
	_, err = study.Distributions(study.Cell{Dataset: "a", Neuron: learntau.GammaName, Runs: []report.Run{huge}})
	if err == nil || !strings.Contains(err.Error(), huge.Path) {
		t.Errorf("a network of 2^40 inputs: %v, want an error naming %s", err, huge.Path)
	}
}

// A step size inside its grid is no edge; one of a single option neither,
// as there is no grid to leave.
func TestEdgeOfTheGrid(t *testing.T) {
	var rs []report.Run
	for i, lr := range []string{"0.002", "0.005", "0.01"} {
		for seed := uint64(1); seed <= 2; seed++ {
			rs = append(rs, record(t, "a", "lif", lr, seed, 0.6+0.1*float64(i%2), 0.6, 0.5))
		}
	}
	rs = append(rs, record(t, "a", learntau.GammaName, "0.005", 1, 0.6, 0.6, 0.5))
	cells, err := study.Select(rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 2 || cells[0].LR != "0.005" || cells[0].Edge() != "" || cells[1].Edge() != "" {
		t.Errorf("cells %+v: want η 0.005 inside its grid and a single option on no edge", cells)
	}
}

// The summary judges a data set only when all its cells have every seed
// and it has a perceptron: below the perceptron is "not met", a step size
// short of seeds "incomplete".
func TestSummaryJudgesCompleteDataSets(t *testing.T) {
	rs := runs(t)
	var kept []report.Run
	for _, r := range rs { // "b": the LIF's η 0.005 loses a seed
		if !strings.HasPrefix(r.Path, "b/lif/0.005/3/") {
			kept = append(kept, r)
		}
	}
	// "c": the LIF at two step sizes, the other model at one so far.
	for seed := uint64(1); seed <= 3; seed++ {
		kept = append(kept, record(t, "c", "lif", "0.002", seed, 0.6, 0.9, 0.5), record(t, "c", "lif", "0.005", seed, 0.6, 0.9, 0.5),
			record(t, "c", learntau.GammaName, "0.002", seed, 0.6, 0.9, 0.5))
	}
	cells, err := study.Select(kept, []string{"b"})
	if err != nil {
		t.Fatal(err)
	}
	strong := &baseline.Report{Dataset: "a", Features: 300, Bin: 1, Fits: []baseline.ModelSearch{{Model: "mlp",
		Searched: baseline.Searched{Selected: baseline.Config{LR: 1e-3, L2: 1e-3, Hidden: 128}, Test: baseline.StatsOf([]float64{0.9, 0.91, 0.92})}}}}
	mlp := map[string]*baseline.Report{"a": strong, "b": strong, "c": strong, "d": strong} // "d": no runs yet
	out := t.TempDir()
	if err := study.Write(out, study.Page{Title: "t", Cells: cells, MLP: mlp}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, study.PageFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| b | +10.0 ± 4.5: above | lif-learn-tau-gamma (69.0 ± 5.0 %) | -22.0 ± 4.2: below | incomplete |",
		"| a | +10.0 ± 4.5: above | lif-learn-tau-gamma (69.0 ± 5.0 %) | -22.0 ± 4.2: below | not met |",
		"| c | +0.0 ± 0.0: level | lif (90.0 ± 0.0 %) | -1.0 ± 2.5: level | incomplete |",
		"| d | not run | not run | | incomplete |",
		"is met on 0 of 1 data sets with complete cells; 3 incomplete."} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the summary lacks %q:\n%s", want, page)
		}
	}
}

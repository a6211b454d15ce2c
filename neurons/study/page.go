package study

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/baseline"
	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/report/chart"
)

// Page is what Write puts in a folder: the cells, the perceptrons'
// searches by data set (cmd/baseline's files; missing ones are said so),
// and the lines of text that head the page.
type Page struct {
	Title string
	Intro []string // paragraphs before the numbers
	Cells []Cell
	MLP   map[string]*baseline.Report
}

// Files Write writes into its folder, besides the figures.
const (
	PageFile    = "README.md"
	NumbersFile = "results.csv"
	FiguresDir  = "figures"
)

// Write writes the page (PageFile), its numbers (NumbersFile) and its
// figures (FiguresDir: the accuracy of every model and data set, and the
// initial and learnt distribution of every per-neuron parameter) into
// out, each file atomically.
func Write(out string, p Page) error {
	if err := os.MkdirAll(filepath.Join(out, FiguresDir), 0o755); err != nil {
		return fmt.Errorf("study: %w", err)
	}
	var md bytes.Buffer
	fmt.Fprintf(&md, "# %s\n\n", p.Title)
	for _, para := range p.Intro {
		fmt.Fprintf(&md, "%s\n\n", para)
	}
	p.summary(&md)
	p.accuracyTable(&md)
	if err := p.accuracyFigure(filepath.Join(out, FiguresDir, "accuracy.png")); err != nil {
		return err
	}
	fmt.Fprintf(&md, "![test accuracy of every model and data set](%s/accuracy.png)\n\n", FiguresDir)
	if err := p.parameters(&md, out); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(filepath.Join(out, PageFile), md.Bytes()); err != nil {
		return err
	}
	return p.writeCSV(filepath.Join(out, NumbersFile))
}

// mlp returns the perceptron's test accuracy on a data set, if searched.
func (p Page) mlp(dataset string) (baseline.Stats, bool) {
	r := p.MLP[dataset]
	if r == nil {
		return baseline.Stats{}, false
	}
	s := r.Search("mlp")
	if s == nil {
		return baseline.Stats{}, false
	}
	return s.Test, true
}

// reference returns the cell of the default neuron on c's data set.
func (p Page) reference(c Cell) (Cell, bool) {
	for _, r := range p.Cells {
		if r.Dataset == c.Dataset && r.Neuron == network.DefaultNeuron {
			return r, true
		}
	}
	return Cell{}, false
}

func (p Page) accuracyTable(md *bytes.Buffer) {
	md.WriteString("## Test accuracy\n\n")
	md.WriteString("| data set | model | η selected (validation, mean over seeds, per η) | seeds | validation | **test**, mean ± 95 % CI | hidden spikes / input | test − LIF (95 % CI) | test − MLP (95 % CI) |\n")
	md.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	var edges []string
	for _, c := range p.Cells {
		var opts []string
		for _, o := range c.Options {
			opts = append(opts, fmt.Sprintf("%s: %s (%d)", o.LR, pct(o.Validation.Mean), o.Validation.N))
		}
		vsLIF, vsMLP := "—", "no perceptron"
		if ref, ok := p.reference(c); ok && c.Neuron != network.DefaultNeuron {
			vsLIF = diff(Welch(c.Test, ref.Test))
		}
		if m, ok := p.mlp(c.Dataset); ok {
			vsMLP = diff(Welch(c.Test, m))
		}
		chosen := c.LR
		if e := c.Edge(); e != "" {
			chosen += " (" + e + ")"
			edges = append(edges, fmt.Sprintf("%s %s (%s)", c.Dataset, c.Neuron, e))
		}
		fmt.Fprintf(md, "| %s | %s | **%s** of %s | %d | %s | **%s** | %.1f | %s | %s |\n", c.Dataset, c.Neuron, chosen,
			strings.Join(opts, ", "), c.Test.N, pct(c.Validation.Mean), pm(c.Test), c.Spikes.Mean, vsLIF, vsMLP)
	}
	md.WriteString("\n")
	if len(edges) > 0 {
		fmt.Fprintf(md, "Selected on the edge of the step-size grid, where a better η may lie beyond it: %s.\n\n", strings.Join(edges, ", "))
	}
	var rows []string
	for _, d := range p.yardstickDatasets() {
		r := p.MLP[d]
		if r == nil || r.Search("mlp") == nil {
			rows = append(rows, fmt.Sprintf("| %s | not searched | | | |", d))
			continue
		}
		s := r.Search("mlp")
		input := fmt.Sprintf("%d features, every step", r.Features)
		if r.Bin > 1 {
			input = fmt.Sprintf("%d features, counts in bins of %d steps", r.Features, r.Bin)
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | lr %g, L2 %g, %d hidden | %d | **%s** |",
			d, input, s.Selected.LR, s.Selected.L2, s.Selected.Hidden, s.Test.N, pm(s.Test)))
	}
	md.WriteString("The yardstick: a perceptron (one hidden layer of ReLU units, cmd/baseline) on the same inputs, flattened, its step size and L2 penalty chosen on validation over a grid, each fit stopped early on validation.\n\n")
	md.WriteString("| data set | input | selected | seeds | **test**, mean ± 95 % CI |\n|---|---|---|---:|---:|\n")
	md.WriteString(strings.Join(rows, "\n") + "\n\n")
}

// datasets lists the cells' data sets in their order.
func (p Page) datasets() []string { return p.distinct(func(c Cell) string { return c.Dataset }) }

// neurons lists the cells' models in their order.
func (p Page) neurons() []string { return p.distinct(func(c Cell) string { return c.Neuron }) }

// yardstickDatasets lists the cells' data sets, then those with only a
// perceptron, alphabetically.
func (p Page) yardstickDatasets() []string {
	out := p.datasets()
	var more []string
	for d := range p.MLP {
		if !slices.Contains(out, d) {
			more = append(more, d)
		}
	}
	slices.Sort(more)
	return append(out, more...)
}

// distinct lists key of the cells, each once, in the cells' order.
func (p Page) distinct(key func(Cell) string) []string {
	var out []string
	for _, c := range p.Cells {
		if k := key(c); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func (p Page) accuracyFigure(path string) error {
	ds, ns := p.datasets(), p.neurons()
	c := chart.BarChart{Title: "Test accuracy, mean ± 95 % CI over seeds", XLabel: "data set", Clusters: ds,
		Series: append(slices.Clone(ns), "MLP"), ErrorBars: "95 % CI"}
	for _, n := range ns {
		row := make([]chart.BarValue, len(ds))
		for _, cell := range p.Cells {
			if cell.Neuron == n {
				row[slices.Index(ds, cell.Dataset)] = bar(cell.Test)
			}
		}
		c.Values = append(c.Values, row)
	}
	row := make([]chart.BarValue, len(ds))
	for i, d := range ds {
		if m, ok := p.mlp(d); ok {
			row[i] = bar(m)
		}
	}
	c.Values = append(c.Values, row)
	return chart.DrawBarChart(path, c)
}

// bar is a bar of mean ± the 95 % interval's half-width.
func bar(s baseline.Stats) chart.BarValue {
	e := s.CI95
	if s.N < 2 {
		e = math.NaN()
	}
	return chart.BarValue{Mean: s.Mean, Std: e, K: s.N, N: s.N}
}

// parameters writes a table and figures of the per-neuron parameters of
// every cell whose model has them.
func (p Page) parameters(md *bytes.Buffer, out string) error {
	head := false
	for _, c := range p.Cells {
		ds, err := Distributions(c)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			continue
		}
		if !head {
			md.WriteString("## Learnt per-neuron parameters\n\n")
			md.WriteString("Of the selected step size's runs, pooled over their seeds and neurons: initial values (drawn again from each run's seed) and learnt ones (the best epoch's weights, from the records), as median [quartiles].\n\n")
			md.WriteString("| data set | model | parameter | layer | initial | learnt | figure |\n|---|---|---|---|---:|---:|---|\n")
			head = true
		}
		for _, d := range ds {
			layer := strconv.Itoa(d.Param.Layer)
			if len(c.Runs) > 0 && d.Param.Layer == len(c.Runs[0].Record.Settings.Hidden) {
				layer = "readout"
			}
			name := fileName(c.Dataset, c.Neuron, d.Param.Name) + ".png"
			fig := "—"
			if d.Param.Layer < len(c.Runs[0].Record.Settings.Hidden) {
				h := chart.Histogram{Title: fmt.Sprintf("%s, %s: %s of hidden layer %d", c.Dataset, c.Neuron, d.Label, d.Param.Layer),
					XLabel: d.Label, YLabel: "neurons (%)", LogX: positive(d.Initial) && positive(d.Learnt),
					Series: []chart.HistSeries{{Legend: "initial", Values: d.Initial}, {Legend: "learnt", Values: d.Learnt}}}
				if err := chart.DrawHistogram(filepath.Join(out, FiguresDir, name), h); err != nil {
					return err
				}
				fig = fmt.Sprintf("[%s](%s/%s)", name, FiguresDir, name)
			}
			fmt.Fprintf(md, "| %s | %s | %s | %s | %s | %s | %s |\n", c.Dataset, c.Neuron, d.Label, layer, quartiles(d.Initial), quartiles(d.Learnt), fig)
		}
	}
	if head {
		md.WriteString("\n")
	}
	return nil
}

func positive(xs []float64) bool {
	for _, x := range xs {
		if !(x > 0) {
			return false
		}
	}
	return len(xs) > 0
}

// quartiles formats the median and quartiles of xs.
func quartiles(xs []float64) string {
	s := slices.Sorted(slices.Values(xs))
	q := func(f float64) float64 { return s[int(math.Round(f*float64(len(s)-1)))] }
	return fmt.Sprintf("%.3g [%.3g, %.3g]", q(0.5), q(0.25), q(0.75))
}

func (p Page) writeCSV(path string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"dataset", "model", "lr", "seeds", "validation_mean", "test_mean", "test_ci95", "test_std", "spikes_mean", "minus_lif", "minus_lif_ci95", "minus_mlp", "minus_mlp_ci95"})
	for _, c := range p.Cells {
		vsLIF, vsMLP := Difference{math.NaN(), math.NaN(), math.NaN()}, Difference{math.NaN(), math.NaN(), math.NaN()}
		if ref, ok := p.reference(c); ok && c.Neuron != network.DefaultNeuron {
			vsLIF = Welch(c.Test, ref.Test)
		}
		if m, ok := p.mlp(c.Dataset); ok {
			vsMLP = Welch(c.Test, m)
		}
		w.Write([]string{c.Dataset, c.Neuron, c.LR, strconv.Itoa(c.Test.N), num(c.Validation.Mean), num(c.Test.Mean), num(c.Test.CI95),
			num(c.Test.Std), num(c.Spikes.Mean), num(vsLIF.Mean), num(vsLIF.CI95), num(vsMLP.Mean), num(vsMLP.CI95)})
	}
	for _, d := range p.yardstickDatasets() {
		if m, ok := p.mlp(d); ok {
			w.Write([]string{d, "mlp", "", strconv.Itoa(m.N), "", num(m.Mean), num(m.CI95), num(m.Std), "", "", "", "", ""})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, b.Bytes())
}

func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + " %" }

// pm formats mean ± 95 % CI in percent.
func pm(s baseline.Stats) string {
	if s.N < 2 {
		return fmt.Sprintf("%.1f %% (one seed)", 100*s.Mean)
	}
	return fmt.Sprintf("%.1f ± %.1f %%", 100*s.Mean, 100*s.CI95)
}

// diff formats a difference in percentage points with its verdict.
func diff(d Difference) string {
	if math.IsNaN(d.CI95) {
		return fmt.Sprintf("%+.1f (too few seeds)", 100*d.Mean)
	}
	return fmt.Sprintf("%+.1f ± %.1f: %s", 100*d.Mean, 100*d.CI95, d.Verdict())
}

// fileName joins parts with "_" into a file name of letters, digits, ".",
// "=", "_" and "-" only, others replaced by "-": the parts come from records, which a page must not
// let name a path (a data set called "../x").
func fileName(parts ...string) string {
	clean := func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '=', r == '-', r == '_':
			return r
		}
		return '-'
	}
	return strings.Map(clean, strings.Join(parts, "_"))
}

package findings

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
)

// readoutCases are the bars of Fig. 6 within each data set.
var readoutCases = []struct{ label, readout, recurrent string }{
	{"Max, FF", "max", "false"}, {"Max, RC", "max", "true"}, {"Sum, FF", "sum", "false"}, {"Sum, RC", "sum", "true"},
}

// dataSets are the data sets of Fig. 6 and 9 in the paper's order, with
// their names there.
var dataSets = []struct{ key, label string }{{"randman", "Randman"}, {"mnist", "MNIST"}, {"shd", "SHD"}, {"rawhd", "RawHD"}, {"rawsc", "RawSC"}}

// fig6Sweep is the sweep of Fig. 6 on data set ds. MNIST's is the one
// at the paper's network, fig6-mnist-paper, where the plan has it; at
// the quick and test scales fig6-mnist trains that network itself.
func (r results) fig6Sweep(ds string) string {
	if ds == "mnist" && r.Plan.Batch(mnistPaper) != nil {
		return mnistPaper
	}
	return "fig6-" + ds
}

// The sweeps of MNIST in Fig. 6: the paper's network (section 4.2.1's
// neuron, 100 hidden), and the network that we found by single runs
// (500 hidden, τ 20/10 ms, an upper activity bound), beyond the paper.
const (
	mnistPaper  = "fig6-mnist-paper"
	mnistBeyond = "fig6-mnist"
)

// fig6Cases returns the top-k summaries of the four readout cases of
// sweep sw, [case].
func (r results) fig6Cases(sw string) []report.Summary {
	var row []report.Summary
	for _, c := range readoutCases {
		row = append(row, Top(r.Where(sw, "readout", c.readout, "recurrent", c.recurrent), 10))
	}
	return row
}

// fig6Data returns, per data set with runs, the summaries of the four
// readout cases, [case].
func (r results) fig6Data() (labels []string, keys []string, values [][]report.Summary) {
	for _, ds := range dataSets {
		sw := r.fig6Sweep(ds.key)
		if len(r.Runs[sw]) == 0 {
			continue
		}
		labels, keys = append(labels, ds.label), append(keys, ds.key)
		values = append(values, r.fig6Cases(sw))
	}
	return labels, keys, values
}

// fig6: Sum and Max readouts, feed-forward and recurrent, per data set.
func (r results) fig6(f *figures) ([]Row, error) {
	const name = "fig6_bars"
	labels, keys, values := r.fig6Data()
	if len(labels) > 0 {
		c := chart.BarChart{Title: "Fig. 6: readout and connectivity, top-k test accuracy", Clusters: labels}
		for j, rc := range readoutCases {
			c.Series = append(c.Series, rc.label)
			var vs []chart.BarValue
			for i := range labels {
				vs = append(vs, values[i][j].Bar())
			}
			c.Values = append(c.Values, vs)
		}
		if err := f.barChart(name, c); err != nil {
			return nil, err
		}
	}
	get := func(ds string) []report.Summary {
		for i, k := range keys {
			if k == ds {
				return values[i]
			}
		}
		return nil
	}
	var rows []Row
	for _, ds := range dataSets {
		v := get(ds.key)
		sw := r.fig6Sweep(ds.key)
		if r.Plan.Batch(sw) == nil && (ds.key == "randman" || ds.key == "mnist") {
			continue
		}
		ours := "no runs"
		if v != nil {
			ours = join(caseList(v)...)
		}
		row := Row{Panel: "Fig. 6", Figure: name + ".png"}
		switch ds.key {
		case "randman", "mnist":
			row.Finding = ds.label + ": Max and Sum readouts alike, feed-forward and recurrent alike"
			row.Paper = "no substantial difference (section 2.4, Fig. 6a–b; top 10, Fig. 6 caption; no number in the text)"
			row.Ours = ours
			row.Verdict = r.judge(verdict(v != nil && spreadOf(v) <= 0.02, "the four cases span %.1f points", 100*spreadOf(v)), sw)
			rows = append(rows, row)
			if ds.key == "mnist" {
				rows = append(rows, r.mnistRow(v, sw))
				if sw != mnistBeyond && r.Plan.Batch(mnistBeyond) != nil {
					rows = append(rows, r.mnistBeyondRow())
				}
			}
		case "shd":
			row.Finding = "SHD: recurrent networks do best"
			row.Paper = "best recurrent: 82 ± 2 % (printed as (0.82 ± 0.02) %; section 2.4, Fig. 6c)"
			row.Ours = ours
			row.Verdict = r.judge(audioVerdict(v, 0.80, 0.02), sw)
			rows = append(rows, row)
		case "rawhd":
			row.Finding = "RawHD: recurrent networks beat feed-forward ones"
			row.Paper = "recurrent 94 ± 2 %, feed-forward 85 ± 3 % (section 2.5, Fig. 6d)"
			row.Ours = ours
			row.Verdict = r.judge(audioVerdict(v, 0.92, 0.03), sw)
			rows = append(rows, row)
		case "rawsc":
			row.Finding = "RawSC: recurrent networks clearly beat feed-forward ones; Max slightly above Sum"
			row.Paper = "Max RC 85.3 ± 0.3 %, Sum RC 80.7 ± 0.4 %, feed-forward 70 ± 2 % (section 2.5, Fig. 6e)"
			row.Ours = ours
			row.Verdict = r.judge(audioVerdict(v, 0.83, 0.05), sw)
			rows = append(rows, row)
		}
		if panel, audio := map[string]string{"shd": "Fig. 6c", "rawhd": "Fig. 6d", "rawsc": "Fig. 6e"}[ds.key]; audio {
			last := &rows[len(rows)-1]
			last.Panel = panel
			if strings.HasPrefix(last.Verdict, "not run") {
				last.Figure = ""
				last.Verdict += " (SHD, RawHD and RawSC run at the paper scale only, with their files under --data)"
			}
		}
	}
	return rows, nil
}

// mnistRow compares the best MNIST configuration of sweep sw, whose
// top-k summaries per readout case are v, with the paper's 98.3 ± 0.9 %.
func (r results) mnistRow(v []report.Summary, sw string) Row {
	row := Row{Panel: "Fig. 6b", Figure: "fig6_bars.png",
		Finding: "spike-latency MNIST is learnt about as well as by a conventional network",
		Paper:   "98.3 ± 0.9 % (section 2.4; top 10, Fig. 6 caption)"}
	ours, ok := mnistBest(v, r.Runs[sw])
	if ours == "" {
		row.Ours, row.Verdict = "no runs", r.judge("", sw)
		return row
	}
	row.Ours = ours
	row.Verdict = r.judge(verdict(ok,
		"want the run best on validation ≥ 98.0 %% and the top-k mean of the case best on validation ≥ 97.4 %% (the paper's band)"), sw)
	return row
}

// mnistBeyondRow reports the MNIST network we found by single runs
// beside the paper's: no claim of the paper's to test, and the row says
// how the network was found.
func (r results) mnistBeyondRow() Row {
	row := Row{Panel: "Beyond", Own: true,
		Finding: "spike-latency MNIST at a network of ours: 500 hidden neurons, τ_mem 20 ms, τ_syn 10 ms, a mild upper activity bound (ν_upper 0.3)",
		Paper:   "not in the paper, whose MNIST network reaches 98.3 ± 0.9 % (section 2.4)"}
	ours, _ := mnistBest(r.fig6Cases(mnistBeyond), r.Runs[mnistBeyond])
	row.Ours = "found by comparing the test accuracies of single runs (a choice made on test, before issue 28); " +
		"in its sweep the case and the runs are chosen on validation only: " + cmp.Or(ours, "no runs")
	row.Verdict = r.judge(Beyond, mnistBeyond)
	return row
}

// mnistBest describes the case best on validation of the summaries v and
// the single run best on validation of runs, "" for none; ok when they
// reach the paper's band: the run ≥ 98.0 % and the case's top-k mean ≥
// 97.4 %.
func mnistBest(v []report.Summary, runs []report.Run) (ours string, ok bool) {
	i := bestCase(v)
	one := BestOnValidation(runs)
	if i < 0 || one == nil {
		return "", false
	}
	s, top := v[i], one.Test()
	return fmt.Sprintf("best case on validation (%s): %s; single run best on validation: %s", readoutCases[i].label, pm(s), pct(top)),
		top >= 0.98 && s.TestMean >= 0.974
}

// audioVerdict: the best recurrent case reaches the paper's number less
// tol, and beats the best feed-forward case by margin.
func audioVerdict(v []report.Summary, want, margin float64) string {
	if v == nil {
		return "no runs"
	}
	rc := math.Max(v[1].TestMean, v[3].TestMean)
	ff := math.Max(v[0].TestMean, v[2].TestMean)
	return verdict(rc >= want && rc-ff >= margin, "best recurrent %s (want ≥ %s), best feed-forward %s; numbers of real data only",
		pct(rc), pct(want), pct(ff))
}

func caseList(v []report.Summary) []string {
	var out []string
	for i, c := range readoutCases {
		out = append(out, c.label+" "+pm(v[i]))
	}
	return out
}

// spreadOf is the range of the summaries' means, NaN without runs.
func spreadOf(v []report.Summary) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range v {
		if s.N == 0 {
			return math.NaN()
		}
		lo, hi = math.Min(lo, s.TestMean), math.Max(hi, s.TestMean)
	}
	return hi - lo
}

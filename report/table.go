package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteMarkdown writes groups as a markdown table, one row per group:
// the grouping values, the number of runs, k, the top-k test accuracy as
// mean ± std and the top-k means of validation accuracy and hidden spikes
// per input. Accuracies are in percent.
func WriteMarkdown(w io.Writer, keys []string, groups []Group) error {
	head := append(append([]string{}, keys...),
		"runs", "top k", "test accuracy (%), mean ± std", "validation accuracy (%), mean", "hidden spikes / input, mean")
	if len(keys) == 0 {
		head = append([]string{"group"}, head...)
	}
	bw := bufio.NewWriter(w)
	row(bw, head)
	align := make([]string, len(head))
	for i := range align {
		align[i] = "---:"
		if i < max(len(keys), 1) {
			align[i] = "---" // text columns
		}
	}
	row(bw, align)
	for _, g := range groups {
		cells := make([]string, 0, len(head))
		for _, v := range g.Values {
			cells = append(cells, mdEscape(display(v)))
		}
		if len(keys) == 0 {
			cells = append(cells, "all runs")
		}
		cells = append(cells, strconv.Itoa(g.N), strconv.Itoa(g.K),
			pmPercent(g.TestMean, g.TestStd), percent(g.ValidationMean), spikes(g.SpikesMean))
		row(bw, cells)
	}
	return bw.Flush()
}

// WriteFits writes the sigmoid fits as a markdown table, transition first:
// the number the paper quotes (about 36 spikes per input for one hidden
// layer on randman).
func WriteFits(w io.Writer, fits []SpikeFit) error {
	bw := bufio.NewWriter(w)
	row(bw, []string{"group", "runs fitted", "silent runs", "transition (spikes / input)", "accuracy below (%)", "accuracy above (%)", "width d (ln units)", "RMSE (%)"})
	row(bw, []string{"---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"})
	for _, f := range fits {
		if f.Err != nil {
			why := strings.TrimPrefix(f.Err.Error(), "report: ")
			row(bw, []string{mdEscape(f.Label), fmt.Sprint(f.Points), fmt.Sprint(f.Silent), "no fit: " + mdEscape(why), "", "", "", ""})
			continue
		}
		row(bw, []string{mdEscape(f.Label), fmt.Sprint(f.Points), fmt.Sprint(f.Silent), spikes(f.Transition()),
			percent(f.A), percent(f.B), fmt.Sprintf("%.2f", f.D), percent(f.RMSE)})
	}
	bw.WriteString("\n")
	return bw.Flush()
}

func row(w io.Writer, cells []string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// mdEscape keeps a value from breaking the table.
func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func percent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) }

func pmPercent(mean, std float64) string {
	if math.IsNaN(std) {
		return percent(mean) + " ± –" // one run: no spread to report
	}
	return percent(mean) + " ± " + percent(std)
}

func spikes(x float64) string {
	switch {
	case x >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case x >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// WriteCSV writes groups as CSV with a header row: the grouping settings,
// then runs, k, test_mean, test_std, validation_mean and spikes_mean, with
// accuracies as fractions at full precision. A missing std (k = 1) is an
// empty cell.
func WriteCSV(w io.Writer, keys []string, groups []Group) error {
	cw := csv.NewWriter(w)
	head := append(append([]string{}, keys...), "runs", "k", "test_mean", "test_std", "validation_mean", "spikes_mean")
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, g := range groups {
		rec := append(append([]string{}, g.Values...), strconv.Itoa(g.N), strconv.Itoa(g.K),
			num(g.TestMean), num(g.TestStd), num(g.ValidationMean), num(g.SpikesMean))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

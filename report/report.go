package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// Files Write makes in Options.Out.
const (
	MarkdownFile   = "report.md"
	CSVFile        = "report.csv"
	SurrogatesFile = "surrogates.png"
	HeatmapFile    = "heatmap.png"
	BarsFile       = "bars.png"
	SpikesFile     = "spikes.png"
	HistogramFile  = "histogram.png"
	SnapshotFile   = "snapshot.png"
)

// Options choose what Write makes. The zero value, with Out and Top set,
// makes the table only.
type Options struct {
	Out    string   // folder of the report; created if missing
	Inputs []string // what the runs were loaded from, for the report's header
	Group  []string // settings the table groups by; none: one row of all runs
	Top    int      // k of the top-k selection

	Heatmap   []string // two settings, across and up (Fig. 3b); faceted by the Group settings not among them
	Bars      []string // settings of the bar clusters (Fig. 3c, 5, 6)
	BarsColor string   // setting that colours the bars within a cluster
	// Chance is the chance level drawn on the bars, a fraction; negative
	// means 1/classes when all runs agree on the number of classes, 0 none.
	Chance float64

	Spikes    bool     // accuracy against hidden spikes with sigmoid fits (Fig. 9)
	SpikesBy  []string // settings whose groups get their own colour and fit
	Hist      bool     // per-neuron spike count histogram (Fig. 8c–d)
	HistBy    []string // settings whose groups are compared
	HistLayer int      // hidden layer, from 0; negative for all

	Snapshot        string // snapshot JSON written by cmd/eval --snapshot (Fig. 2c–e, 8a–b)
	SnapshotOptions SnapshotOptions

	Surrogates bool // surrogate derivative shapes (Fig. 3a, 5a)
}

// Validate checks o before any work, naming the option at fault.
func (o *Options) Validate() error {
	if o.Out == "" {
		return errors.New("out: no output folder")
	}
	if o.Top < 1 {
		return fmt.Errorf("top: want k ≥ 1, got %d", o.Top)
	}
	lists := []struct {
		name string
		keys []string
	}{{"group", o.Group}, {"heatmap", o.Heatmap}, {"bars", o.Bars}, {"spikes-by", o.SpikesBy}, {"hist-by", o.HistBy}}
	for _, l := range lists {
		if err := CheckKeys(l.keys); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	if len(o.Heatmap) != 0 && len(o.Heatmap) != 2 {
		return fmt.Errorf("heatmap: want two settings, across and up (e.g. beta,lr), got %d", len(o.Heatmap))
	}
	if o.BarsColor != "" {
		if len(o.Bars) == 0 {
			return errors.New("bars-color: needs bars")
		}
		if err := CheckKeys(append(append([]string{}, o.Bars...), o.BarsColor)); err != nil {
			return fmt.Errorf("bars-color: %w", err)
		}
	}
	if o.Chance >= 1 {
		return fmt.Errorf("chance: want a fraction below 1, got %g", o.Chance)
	}
	return nil
}

// needsRuns reports whether o asks for anything made from run records.
func (o *Options) needsRuns() bool {
	return len(o.Heatmap) > 0 || len(o.Bars) > 0 || o.Spikes || o.Hist
}

// Write makes the report o asks for from set (nil when only the surrogate
// or snapshot figures are wanted) and returns the files written. The table
// goes to report.md and report.csv, each figure to its PNG, and report.md
// links the figures and lists the records left out and why.
func Write(set *Set, o Options) ([]string, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	switch {
	case set == nil && o.needsRuns():
		return nil, errors.New("report: heatmap, bars, spikes and histogram need run records")
	case set == nil && !o.Surrogates && o.Snapshot == "":
		return nil, errors.New("report: nothing to report: no run records, no surrogates, no snapshot")
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	d := &doc{o: o}
	if set != nil {
		if err := d.runs(set); err != nil {
			return d.files, err
		}
	}
	if err := d.figures(); err != nil {
		return d.files, err
	}
	if set != nil {
		d.skipped(set)
	}
	md := filepath.Join(o.Out, MarkdownFile)
	err := atomicfile.Write(md, func(w io.Writer) error {
		_, err := io.WriteString(w, d.md.String())
		return err
	})
	if err != nil {
		return d.files, err
	}
	return append(d.files, md), nil
}

// doc accumulates report.md while the files are written.
type doc struct {
	o     Options
	md    strings.Builder
	files []string
	runsL []Run
}

func (d *doc) path(name string) string { return filepath.Join(d.o.Out, name) }

func (d *doc) runs(set *Set) error {
	if len(set.Runs) == 0 {
		return fmt.Errorf("report: no completed runs with test metrics (%s)", set.Describe())
	}
	d.runsL = set.Runs
	fmt.Fprintf(&d.md, "# Training report\n\n")
	if len(d.o.Inputs) > 0 {
		fmt.Fprintf(&d.md, "Records from `%s`: %s.\n\n", strings.Join(d.o.Inputs, "`, `"), set.Describe())
	} else {
		fmt.Fprintf(&d.md, "Records: %s.\n\n", set.Describe())
	}
	groups, err := GroupBy(set.Runs, d.o.Group, d.o.Top)
	if err != nil {
		return err
	}
	by := "all runs"
	if len(d.o.Group) > 0 {
		by = strings.Join(d.o.Group, ", ")
	}
	fmt.Fprintf(&d.md, "## Test accuracy by %s\n\n", by)
	fmt.Fprintf(&d.md, "Per group, the %d runs with the highest validation accuracy (all runs when a group has fewer); "+
		"their test accuracy as mean ± sample standard deviation, and the means of their validation accuracy and of "+
		"the hidden spikes per test input (all hidden layers). Machine-readable: [%s](%s).\n\n", d.o.Top, CSVFile, CSVFile)
	if err := WriteMarkdown(&d.md, d.o.Group, groups); err != nil {
		return err
	}
	d.md.WriteString("\n")
	err = atomicfile.Write(d.path(CSVFile), func(w io.Writer) error { return WriteCSV(w, d.o.Group, groups) })
	if err == nil {
		d.files = append(d.files, d.path(CSVFile))
	}
	return err
}

func (d *doc) figures() error {
	if d.md.Len() == 0 {
		d.md.WriteString("# Training report\n\n")
	}
	steps := []struct {
		want bool
		make func() error
	}{
		{d.o.Surrogates, d.surrogates},
		{len(d.o.Heatmap) == 2, d.heatmap},
		{len(d.o.Bars) > 0, d.bars},
		{d.o.Spikes, d.spikes},
		{d.o.Hist, d.hist},
		{d.o.Snapshot != "", d.snapshot},
	}
	for _, s := range steps {
		if s.want {
			if err := s.make(); err != nil {
				return err
			}
		}
	}
	return nil
}

// figure links a figure that was written into the report.
func (d *doc) figure(title, file, caption string) {
	d.files = append(d.files, d.path(file))
	fmt.Fprintf(&d.md, "## %s\n\n![%s](%s)\n\n%s\n\n", title, title, file, caption)
}

func (d *doc) surrogates() error {
	if err := Surrogates(d.path(SurrogatesFile), nil, nil); err != nil {
		return err
	}
	d.figure("Surrogate derivatives", SurrogatesFile,
		"The surrogate derivative h(x) replacing the derivative of the spike at distance x = U − θ from threshold, "+
			"for several slopes β (paper Fig. 3a; the asymptotic shape of Fig. 5a grows with β).")
	return nil
}

func (d *doc) heatmap() error {
	x, y := d.o.Heatmap[0], d.o.Heatmap[1]
	var facet []string
	for _, g := range d.o.Group {
		if g != x && g != y {
			facet = append(facet, g)
		}
	}
	if err := Heatmap(d.path(HeatmapFile), d.runsL, x, y, facet, d.o.Top); err != nil {
		return err
	}
	d.figure(fmt.Sprintf("Accuracy over %s × %s", x, y), HeatmapFile,
		fmt.Sprintf("Mean test accuracy (%%) of the top %d runs on validation per cell; grey cells had no runs (paper Fig. 3b).", d.o.Top))
	return nil
}

func (d *doc) bars() error {
	chance := d.o.Chance
	if chance < 0 {
		chance = chanceLevel(d.runsL)
	}
	if err := Bars(d.path(BarsFile), d.runsL, d.o.Bars, d.o.BarsColor, d.o.Top, chance); err != nil {
		return err
	}
	d.figure("Top-k test accuracy", BarsFile,
		fmt.Sprintf("Mean ± sample standard deviation of the test accuracy of the top %d runs on validation (paper Fig. 3c, 5, 6).", d.o.Top))
	return nil
}

// chanceLevel is 1/classes when all runs agree on the number of classes,
// otherwise 0: no line rather than a wrong one.
func chanceLevel(runs []Run) float64 {
	c := runs[0].Record.Data.Classes
	for _, r := range runs {
		if r.Record.Data.Classes != c {
			return 0
		}
	}
	if c < 2 {
		return 0
	}
	return 1 / float64(c)
}

func (d *doc) spikes() error {
	fits, err := Spikes(d.path(SpikesFile), d.runsL, d.o.SpikesBy)
	if err != nil {
		return err
	}
	d.figure("Accuracy against hidden spikes", SpikesFile,
		"One point per run; lines are sigmoids acc(s) = a + (b − a)/(1 + exp(−(ln s − c)/d)) fitted by least squares, "+
			"dashed at the transition exp(c), the spike count at half height (paper Fig. 9).")
	writeFits(&d.md, fits)
	return nil
}

// writeFits tabulates the sigmoid fits, transition first: the number the
// paper quotes (about 36 spikes per input for one hidden layer on randman).
func writeFits(w io.Writer, fits []SpikeFit) {
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
	bw.Flush()
}

func (d *doc) hist() error {
	if err := Histogram(d.path(HistogramFile), d.runsL, d.o.HistBy, d.o.Top, d.o.HistLayer); err != nil {
		return err
	}
	d.figure("Per-neuron spike counts", HistogramFile,
		fmt.Sprintf("Distribution of each hidden neuron's mean spike count per test input, pooled over the top %d runs of each group (paper Fig. 8c–d).", d.o.Top))
	return nil
}

func (d *doc) snapshot() error {
	snaps, err := LoadSnapshots(d.o.Snapshot)
	if err != nil {
		return err
	}
	if err := Snapshot(d.path(SnapshotFile), snaps, d.o.SnapshotOptions); err != nil {
		return err
	}
	d.figure("Activity snapshot", SnapshotFile,
		fmt.Sprintf("Activity of the network in `%s` on %d samples: input and hidden spike rasters, membrane traces of a few "+
			"hidden neurons and the readout potentials, the true class highlighted (paper Fig. 2c–e, 8a–b).",
			d.o.Snapshot, min(len(snaps), d.o.SnapshotOptions.withDefaults().Samples)))
	return nil
}

func (d *doc) skipped(set *Set) {
	if len(set.Skipped) == 0 {
		return
	}
	fmt.Fprintf(&d.md, "## Unreadable record files\n\n")
	for _, err := range set.Skipped {
		fmt.Fprintf(&d.md, "- %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	d.md.WriteString("\n")
}

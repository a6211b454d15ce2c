package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/raster"
)

// Files the report is made of, in options.Out.
const (
	markdownFile  = "report.md"
	csvFile       = "report.csv"
	surrogatesPNG = "surrogates.png"
	heatmapPNG    = "heatmap.png"
	barsPNG       = "bars.png"
	spikesPNG     = "spikes.png"
	histogramPNG  = "histogram.png"
	snapshotPNG   = "snapshot.png"
)

// options choose what write makes; parse fills them from the flags and
// check vets them.
type options struct {
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
	SnapshotOptions raster.SnapshotOptions

	Surrogates bool // surrogate derivative shapes (Fig. 3a, 5a)

	// DefaultFigures marks the figures as chosen by the command, not by
	// the user: one that the runs cannot give (no spikes, no per-neuron
	// activity) is left out with a note instead of failing the report.
	DefaultFigures bool
	Log            io.Writer // where such notes go besides report.md; nil: nowhere
}

// write makes the report o asks for from set (nil when only the surrogate
// or snapshot figures are wanted) and returns the files written. The table
// goes to report.md and report.csv, each figure to its PNG, and report.md
// links the figures and lists the records left out and why.
func write(set *report.Set, o options) ([]string, error) {
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
	md := filepath.Join(o.Out, markdownFile)
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
	o     options
	md    strings.Builder
	files []string
	runsL []report.Run
	notes []string // default figures the runs could not give
}

func (d *doc) path(name string) string { return filepath.Join(d.o.Out, name) }

func (d *doc) runs(set *report.Set) error {
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
	groups, err := report.GroupBy(set.Runs, d.o.Group, d.o.Top)
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
		"the hidden spikes per test input (all hidden layers). Machine-readable: [%s](%s).\n\n", d.o.Top, csvFile, csvFile)
	if err := report.WriteMarkdown(&d.md, d.o.Group, groups); err != nil {
		return err
	}
	d.md.WriteString("\n")
	err = atomicfile.Write(d.path(csvFile), func(w io.Writer) error { return report.WriteCSV(w, d.o.Group, groups) })
	if err == nil {
		d.files = append(d.files, d.path(csvFile))
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
		if !s.want {
			continue
		}
		if err := s.make(); err != nil {
			if !d.o.DefaultFigures {
				return err
			}
			d.notes = append(d.notes, err.Error())
			if d.o.Log != nil {
				fmt.Fprintf(d.o.Log, "report: figure left out: %v\n", err)
			}
		}
	}
	if len(d.notes) > 0 {
		d.md.WriteString("## Figures left out\n\n")
		for _, n := range d.notes {
			fmt.Fprintf(&d.md, "- %s\n", n)
		}
		d.md.WriteString("\n")
	}
	return nil
}

// figure links a figure that was written into the report.
func (d *doc) figure(title, file, caption string) {
	d.files = append(d.files, d.path(file))
	fmt.Fprintf(&d.md, "## %s\n\n![%s](%s)\n\n%s\n\n", title, title, file, caption)
}

func (d *doc) surrogates() error {
	if err := report.Surrogates(d.path(surrogatesPNG), nil, nil); err != nil {
		return err
	}
	d.figure("Surrogate derivatives", surrogatesPNG,
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
	if err := report.Heatmap(d.path(heatmapPNG), d.runsL, x, y, facet, d.o.Top); err != nil {
		return err
	}
	d.figure(fmt.Sprintf("Accuracy over %s × %s", x, y), heatmapPNG,
		fmt.Sprintf("Mean test accuracy (%%) of the top %d runs on validation per cell; grey cells had no runs (paper Fig. 3b).", d.o.Top))
	return nil
}

func (d *doc) bars() error {
	chance := d.o.Chance
	if chance < 0 {
		chance = chanceLevel(d.runsL)
	}
	if err := report.Bars(d.path(barsPNG), d.runsL, d.o.Bars, d.o.BarsColor, d.o.Top, chance); err != nil {
		return err
	}
	d.figure("Top-k test accuracy", barsPNG,
		fmt.Sprintf("Mean ± sample standard deviation of the test accuracy of the top %d runs on validation (paper Fig. 3c, 5, 6).", d.o.Top))
	return nil
}

// chanceLevel is 1/classes when all runs agree on the number of classes,
// otherwise 0: no line rather than a wrong one.
func chanceLevel(runs []report.Run) float64 {
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
	fits, err := report.Spikes(d.path(spikesPNG), d.runsL, d.o.SpikesBy)
	if err != nil {
		return err
	}
	d.figure("Accuracy against hidden spikes", spikesPNG,
		"One point per run; lines are sigmoids acc(s) = a + (b − a)/(1 + exp(−(ln s − c)/d)) fitted by least squares, "+
			"dashed at the transition exp(c), the spike count at half height (paper Fig. 9).")
	report.WriteFits(&d.md, fits)
	return nil
}

func (d *doc) hist() error {
	if err := report.Histogram(d.path(histogramPNG), d.runsL, d.o.HistBy, d.o.Top, d.o.HistLayer); err != nil {
		return err
	}
	d.figure("Per-neuron spike counts", histogramPNG,
		fmt.Sprintf("Distribution of each hidden neuron's mean spike count per test input, pooled over the top %d runs of each group (paper Fig. 8c–d).", d.o.Top))
	return nil
}

func (d *doc) snapshot() error {
	snaps, err := report.LoadSnapshots(d.o.Snapshot)
	if err != nil {
		return err
	}
	if err := report.Snapshot(d.path(snapshotPNG), snaps, d.o.SnapshotOptions); err != nil {
		return err
	}
	d.figure("Activity snapshot", snapshotPNG,
		fmt.Sprintf("Activity of the network in `%s` on %d samples: input and hidden spike rasters, membrane traces of a few "+
			"hidden neurons and the readout potentials, the true class highlighted (paper Fig. 2c–e, 8a–b).",
			d.o.Snapshot, min(len(snaps), d.o.SnapshotOptions.Samples)))
	return nil
}

func (d *doc) skipped(set *report.Set) {
	if len(set.Skipped) == 0 {
		return
	}
	fmt.Fprintf(&d.md, "## Unreadable record files\n\n")
	for _, err := range set.Skipped {
		fmt.Fprintf(&d.md, "- %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	d.md.WriteString("\n")
}

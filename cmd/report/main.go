// Command report turns the records of training runs into a markdown report,
// a CSV table and the figures of Zenke & Vogels (2021): per group of
// settings, the test accuracy of the k best runs on validation as
// mean ± std, and on request a heatmap, grouped bars, accuracy against
// hidden spikes with sigmoid fits, spike count histograms, an activity
// snapshot and the surrogate derivative shapes.
//
//	go run ./cmd/report sweeps/beta
//	go run ./cmd/report --runs runs --group surrogate,beta --top 5 --out runs/report \
//		--heatmap beta,lr --bars surrogate --bars-color beta --spikes --surrogates
//
// Folders of runs go after --runs or as arguments. The report goes into
// <first folder>/report unless --out says otherwise, and without a figure
// flag it draws the figures that need no choice of settings: accuracy
// against spikes, the spike count histogram, and bars of the --group
// settings.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/report"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "report: %v\n", err)
		return 2
	}
	if err := c.report(stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	return 0
}

// command is the parsed command line.
type command struct {
	runs   []string
	strict bool
	opt    options
}

// listFlag collects a repeatable flag whose values may also be
// comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// flags holds the text of the flags that parse checks and converts.
type flags struct {
	group, heatmap, bars, spikesBy, histBy, chance string
	histLayer, snapshotLayer                       int
}

func parse(args []string, stderr io.Writer) (*command, error) {
	c := &command{}
	var f flags
	o := &c.opt
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var((*listFlag)(&c.runs), "runs", "folder searched recursively for record.json, a record file, or a glob; repeatable or comma-separated")
	fs.BoolVar(&c.strict, "strict", false, "fail on any unreadable record file instead of listing it in the report")
	fs.StringVar(&o.Out, "out", "", "folder for report.md, report.csv and the figures (default: report inside the first runs folder, or beside --snapshot)")
	fs.StringVar(&f.group, "group", "", "settings to group runs by, comma-separated (e.g. surrogate,beta); none: all runs")
	fs.IntVar(&o.Top, "top", 5, "k: per group, the k best runs on validation make the reported test accuracy")
	fs.StringVar(&f.heatmap, "heatmap", "", "two settings, across and up (e.g. beta,lr): heatmap of top-k test accuracy, one panel per value of the other --group settings")
	fs.StringVar(&f.bars, "bars", "", "settings of the bar clusters (e.g. surrogate): bars of top-k test accuracy ± std")
	fs.StringVar(&o.BarsColor, "bars-color", "", "setting that colours the bars within a cluster (e.g. readout)")
	fs.StringVar(&f.chance, "chance", "auto", "chance level line on the bars: auto (1/classes), none, or a fraction")
	fs.BoolVar(&o.Spikes, "spikes", false, "plot accuracy against hidden spikes per input with fitted sigmoids")
	fs.StringVar(&f.spikesBy, "spikes-by", "", "settings whose groups get their own colour and sigmoid (e.g. hidden)")
	fs.BoolVar(&o.Hist, "hist", false, "plot the histogram of per-neuron spike counts")
	fs.StringVar(&f.histBy, "hist-by", "", "settings whose groups the histogram compares")
	fs.IntVar(&f.histLayer, "hist-layer", 1, "hidden layer of the histogram, from 1; 0 for all layers")
	fs.StringVar(&o.Snapshot, "snapshot", "", "snapshot JSON written by cmd/eval --snapshot: plot the activity of a trained network")
	fs.Float64Var(&o.SnapshotOptions.DT, "snapshot-dt", 1, "time step of the snapshot in ms (the run's --dt)")
	fs.IntVar(&o.SnapshotOptions.Samples, "snapshot-samples", 4, "samples of the snapshot to show")
	fs.IntVar(&o.SnapshotOptions.Traces, "snapshot-traces", 5, "membrane traces per sample")
	fs.IntVar(&f.snapshotLayer, "snapshot-layer", 1, "hidden layer of the snapshot, from 1")
	fs.BoolVar(&o.Surrogates, "surrogates", false, "plot the surrogate derivative shapes (needs no runs)")
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	// Arguments are runs folders, as in `go run ./cmd/report sweeps/beta`.
	c.runs = append(c.runs, fs.Args()...)
	if err := f.apply(o); err != nil {
		return nil, err
	}
	o.DefaultFigures = len(c.runs) > 0 && !figureAsked(fs)
	if o.DefaultFigures {
		o.Spikes, o.SpikesBy = true, o.Group
		o.Hist, o.HistBy = true, o.Group
		o.Bars = o.Group
	}
	if o.Out == "" {
		o.Out = defaultOut(c.runs, o.Snapshot)
	}
	return c, c.check()
}

// figureAsked reports whether a flag that chooses a figure was given.
func figureAsked(fs *flag.FlagSet) bool {
	asked := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "heatmap", "bars", "spikes", "hist", "snapshot", "surrogates":
			asked = true
		}
	})
	return asked
}

// defaultOut is where a report goes without --out: inside the first runs
// folder, or beside the snapshot, never into the current folder, which in
// a checkout holds the Go package named report. Empty when there is
// neither.
func defaultOut(runs []string, snapshot string) string {
	var from string
	switch {
	case len(runs) > 0:
		from = runs[0]
		if fi, err := os.Stat(from); err != nil || !fi.IsDir() {
			// A record file or a glob: the folder above it without
			// wildcards.
			from = filepath.Dir(from)
			for strings.ContainsAny(from, "*?[") {
				from = filepath.Dir(from)
			}
		}
	case snapshot != "":
		from = filepath.Dir(snapshot)
	default:
		return ""
	}
	return filepath.Join(from, "report")
}

// apply converts and checks the flags that need it, naming the flag at
// fault.
func (f *flags) apply(o *options) error {
	lists := []struct {
		name string
		text string
		dst  *[]string
	}{{"group", f.group, &o.Group}, {"heatmap", f.heatmap, &o.Heatmap}, {"bars", f.bars, &o.Bars},
		{"spikes-by", f.spikesBy, &o.SpikesBy}, {"hist-by", f.histBy, &o.HistBy}}
	for _, l := range lists {
		keys, err := report.ParseKeys(l.text)
		if err != nil {
			return fmt.Errorf("--%s: %w", l.name, err)
		}
		*l.dst = keys
	}
	if o.BarsColor != "" {
		if err := report.CheckKeys([]string{o.BarsColor}); err != nil {
			return fmt.Errorf("--bars-color: %w", err)
		}
	}
	chance, err := parseChance(f.chance)
	if err != nil {
		return fmt.Errorf("--chance: %w", err)
	}
	o.Chance = chance
	if f.histLayer < 0 {
		return fmt.Errorf("--hist-layer: want a layer ≥ 1, or 0 for all, got %d", f.histLayer)
	}
	o.HistLayer = f.histLayer - 1 // −1: all layers
	if f.snapshotLayer < 1 {
		return fmt.Errorf("--snapshot-layer: want a layer ≥ 1, got %d", f.snapshotLayer)
	}
	o.SnapshotOptions.Layer = f.snapshotLayer - 1
	return nil
}

func parseChance(s string) (float64, error) {
	switch s {
	case "auto":
		return -1, nil
	case "none", "off":
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0 && v < 1) {
		return 0, fmt.Errorf("want auto, none or a fraction in (0, 1), got %q", s)
	}
	return v, nil
}

// check catches flag combinations that cannot work, before any file is
// read.
func (c *command) check() error {
	o := &c.opt
	sn := o.SnapshotOptions
	switch {
	case o.Top < 1:
		return fmt.Errorf("--top: want k ≥ 1, got %d", o.Top)
	case len(o.Heatmap) != 0 && len(o.Heatmap) != 2:
		return fmt.Errorf("--heatmap: want two settings, across and up (e.g. beta,lr), got %d", len(o.Heatmap))
	case o.BarsColor != "" && len(o.Bars) == 0:
		return errors.New("--bars-color: needs --bars")
	case !(sn.DT > 0):
		return fmt.Errorf("--snapshot-dt: want a positive step in ms, got %g", sn.DT)
	case sn.Samples < 1:
		return fmt.Errorf("--snapshot-samples: want ≥ 1, got %d", sn.Samples)
	case sn.Traces < 1:
		return fmt.Errorf("--snapshot-traces: want ≥ 1, got %d", sn.Traces)
	case len(c.runs) == 0 && !o.Surrogates && o.Snapshot == "":
		return errors.New("--runs is required (only --surrogates and --snapshot work without runs)")
	case len(c.runs) == 0 && (len(o.Group) > 0 || len(o.Heatmap) > 0 || len(o.Bars) > 0 || o.Spikes || o.Hist):
		return errors.New("--runs is required for --group, --heatmap, --bars, --spikes and --hist")
	case o.Out == "":
		return errors.New("--out: want a folder (there is no runs folder to put the report in)")
	case holdsGo(o.Out):
		return fmt.Errorf("--out %s: the folder holds Go source, so it is a package of the code, not a place for a report", o.Out)
	}
	for _, k := range o.Bars {
		if k == o.BarsColor {
			return fmt.Errorf("--bars-color: %q is already a --bars setting", k)
		}
	}
	return nil
}

// holdsGo reports whether dir exists and holds a .go file.
func holdsGo(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// report loads the runs and writes the report, telling on stderr what was
// left out and why.
func (c *command) report(stdout, stderr io.Writer) error {
	var set *report.Set
	if len(c.runs) > 0 {
		var err error
		if set, err = report.Load(c.runs...); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "report: %s\n", set.Describe())
		for _, e := range set.Skipped {
			fmt.Fprintf(stderr, "report: skipped %v\n", e)
		}
		if c.strict && len(set.Skipped) > 0 {
			return fmt.Errorf("report: --strict: %d unreadable record files", len(set.Skipped))
		}
		c.opt.Inputs = c.runs
	}
	c.opt.Log = stderr
	files, err := write(set, c.opt)
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	return err
}

// Command study writes the page of a comparison of neuron models from its
// run records (package neurons/study): per data set and model, the step
// size chosen on validation and its test accuracy as mean ± 95 % CI over
// the seeds, the differences from the LIF and from a perceptron on the
// same features, and the distributions of the learnt per-neuron
// parameters.
//
//	go run ./cmd/study --runs docs/results/neurons/runs --baselines docs/results/neurons/baselines \
//		--intro docs/results/neurons/intro.md --out docs/results/neurons
//
// --baselines holds cmd/baseline's baseline_<dataset>.json files. The
// page (README.md), the numbers (results.csv) and figures/ go into
// --out; --intro's markdown heads the page.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/baseline"
	// The neuron models of the commands, registered: the study reads
	// their per-neuron parameters.
	_ "github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/neurons/study"
	"github.com/spikegrad/spikegrad/report"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

type options struct {
	runs, baselines, intro, out, title, datasets string
}

func run(args []string, stdout, stderr io.Writer) int {
	o := options{}
	fs := flag.NewFlagSet("study", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.runs, "runs", "", "folder searched recursively for the study's record.json files")
	fs.StringVar(&o.baselines, "baselines", "", "folder of cmd/baseline's baseline_<dataset>.json files (optional)")
	fs.StringVar(&o.intro, "intro", "", "markdown file that heads the page (optional)")
	fs.StringVar(&o.out, "out", "", "folder for README.md, results.csv and figures/")
	fs.StringVar(&o.title, "title", "Neuron models on speech", "title of the page")
	fs.StringVar(&o.datasets, "datasets", "rawhd,shd,ssc,rawsc", "order of the data sets on the page (others follow, alphabetically)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "study: unexpected argument %q (see --help)\n", fs.Arg(0))
		return 2
	case o.runs == "":
		fmt.Fprintln(stderr, "study: --runs: give the folder of the study's runs")
		return 2
	case o.out == "":
		fmt.Fprintln(stderr, "study: --out: give the folder of the page")
		return 2
	}
	if err := write(o, stdout); err != nil {
		fmt.Fprintf(stderr, "study: %v\n", err)
		return 1
	}
	return 0
}

func write(o options, stdout io.Writer) error {
	set, err := report.Load(o.runs)
	if err != nil {
		return fmt.Errorf("--runs: %w", err)
	}
	if err := set.Err(); err != nil {
		return fmt.Errorf("--runs: %w", err)
	}
	cells, err := study.Select(set.Runs, strings.Split(o.datasets, ","))
	if err != nil {
		return err
	}
	p := study.Page{Title: o.title, Cells: cells, MLP: map[string]*baseline.Report{}}
	if o.intro != "" {
		b, err := os.ReadFile(o.intro)
		if err != nil {
			return fmt.Errorf("--intro: %w", err)
		}
		p.Intro = []string{strings.TrimSpace(string(b))}
	}
	p.Intro = append(p.Intro, "Runs: "+set.Describe()+".")
	if o.baselines != "" {
		files, err := filepath.Glob(filepath.Join(o.baselines, "baseline_*.json"))
		if err != nil || len(files) == 0 {
			return fmt.Errorf("--baselines: no baseline_<dataset>.json in %s", o.baselines)
		}
		for _, f := range files {
			r, err := baseline.LoadReport(f)
			if err != nil {
				return fmt.Errorf("--baselines: %w", err)
			}
			if _, dup := p.MLP[r.Dataset]; dup {
				return fmt.Errorf("--baselines: two files of data set %q in %s; keep one", r.Dataset, o.baselines)
			}
			p.MLP[r.Dataset] = r
		}
	}
	if err := study.Write(o.out, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d cells of %s into %s\n", len(cells), set.Describe(), filepath.Join(o.out, study.PageFile))
	return nil
}

// Command baseline fits non-spiking classifiers — a logistic regression
// and a perceptron with one hidden layer of 128 ReLU units — to the input
// of a data set: the yardstick a spiking network trained by cmd/train on
// the same features should at least match.
//
//	go run ./cmd/baseline --dataset rawhd --data-dir data/hd --out baselines
//	go run ./cmd/baseline --dataset shd --data-dir data/shd --bin 10 --out baselines
//
// The data flags are cmd/train's, read through package run: the same flags
// give the same samples, splits and time grid. Each sample's [steps,
// inputs] grid is flattened into one vector; --bin sums it over bins of
// steps first, which long spike rasters need (SHD: 400 steps × 700
// channels).
//
// Each classifier is trained to convergence and chosen on validation
// only: every combination of --lr, --l2 and (for the perceptron)
// --hidden is fitted with --seeds seeds, each fit keeping the weights of
// its best validation epoch and stopping once --patience epochs have not
// bettered it (at most --epochs); the combination of the best mean
// validation accuracy is selected, and the test accuracy of its fits is
// reported as mean ± 95 % confidence interval over the seeds. By default
// that is 3 step sizes × 3 L2 penalties × 5 seeds, 45 fits per
// classifier.
//
// The results — every combination's validation accuracy, the one
// selected, and its fits with every epoch — go to
// <out>/baseline_<dataset>.json, written atomically; a line per
// classifier on stdout states them. --write-features also writes the
// flattened splits as a NumPy .npz, for a program outside Go to fit on
// the same features (baseline/testdata/mlp.py is one).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/baseline"
	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/run"
)

const usage = `Usage: go run ./cmd/baseline --dataset <name> [--data-dir <folder>] [flags]

Fits a logistic regression and a one-hidden-layer perceptron to the
flattened input of a data set, as cmd/train would load it.
`

// dataFlags are the settings of package run that choose the data; the
// others are a spiking network's and mean nothing here.
var dataFlags = []string{"dataset", "data-dir", "data-seed", "validation", "validation-fraction", "limit",
	"cache-dir", "no-cache", "skip-bad-files", "feature-storage", "randman-classes", "randman-units",
	"randman-dim", "randman-alpha", "randman-samples", "randman-train", "randman-validation",
	"randman-window", "steps", "dt", "log-format", "log-level"}

// perDataSet lists the defaults of setting name for every data set, as
// "per data set: randman 1, shd 2, …", when they are not all the same,
// and is empty otherwise.
func perDataSet(name string) string {
	if name == "dataset" {
		return ""
	}
	var list []string
	values := map[string]bool{}
	for _, set := range run.DataSetNames() {
		s := run.DefaultSettings(set)
		st, ok := s.Lookup(name)
		if !ok {
			return ""
		}
		v := st.Flag().String()
		list = append(list, set+" "+v)
		values[v] = true
	}
	if len(values) < 2 {
		return ""
	}
	return "per data set: " + strings.Join(list, ", ")
}

// models are the classifiers --model chooses from.
var models = []string{"logreg", "mlp"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the parsed command line.
type options struct {
	settings run.Settings
	models   []string
	config   baseline.Config // LR, L2 and Hidden come from grid
	grid     baseline.Grid   // Hidden is the perceptron's
	seeds    []uint64
	bin      int
	out      string
	features string // .npz to write the flattened splits to, or ""
}

func parse(args []string, stderr io.Writer) (*options, error) {
	first := run.DefaultSettings("randman")
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, name := range dataFlags {
		st, _ := first.Lookup(name)
		fs.Var(st.Flag(), name, st.Usage)
		// --dataset's defaults apply to the flags not given, so --help
		// shows each data set's rather than randman's.
		if per := perDataSet(name); per != "" {
			fs.Lookup(name).DefValue = per
		}
	}
	c, g := baseline.DefaultConfig(), baseline.DefaultGrid()
	model := fs.String("model", strings.Join(models, ","), "classifiers to fit, comma-separated: logreg, mlp")
	hidden := fs.String("hidden", joinList(g.Hidden), "mlp: ReLU units of the hidden layer; a comma-separated list is searched")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "most training epochs of a fit")
	fs.IntVar(&c.Patience, "patience", c.Patience, "stop a fit after this many epochs without a better validation accuracy (0: never)")
	fs.IntVar(&c.Batch, "batch", c.Batch, "minibatch size")
	lr := fs.String("lr", joinList(g.LR), "Adam step sizes searched, comma-separated")
	l2 := fs.String("l2", joinList(g.L2), "L2 penalties on the weights (not the biases) searched, comma-separated")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "first seed of the initial weights and the minibatch order")
	seeds := fs.Int("seeds", 5, "seeds fitted per configuration: --seed, --seed+1, …")
	bin := fs.Int("bin", 1, "sum the input over bins of this many steps before flattening (1: every step)")
	out := fs.String("out", "baselines", "folder for the results file")
	features := fs.String("write-features", "", "also write the flattened splits to this .npz file (train_x, train_y, validation_x, …), for a program outside Go to fit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags:\n\n", usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: all settings are flags (see --help)", fs.Arg(0))
	}
	// The data set's defaults first (its time grid), then every flag
	// that was set, as cmd/train does.
	s := run.DefaultSettings(first.Dataset)
	var err error
	fs.Visit(func(f *flag.Flag) {
		if _, ok := s.Lookup(f.Name); ok && slices.Contains(dataFlags, f.Name) && err == nil {
			if e := s.Set(f.Name, f.Value.String()); e != nil {
				err = fmt.Errorf("--%w", e)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("--%w", err)
	}
	o := &options{settings: s, config: c, bin: *bin, out: *out, features: *features}
	for _, l := range []struct {
		flag, text string
		into       any
	}{{"lr", *lr, &o.grid.LR}, {"l2", *l2, &o.grid.L2}, {"hidden", *hidden, &o.grid.Hidden}} {
		if err := parseList(l.text, l.into); err != nil {
			return nil, fmt.Errorf("--%s: %w", l.flag, err)
		}
	}
	if *seeds < 1 || *seeds > 1000 {
		return nil, fmt.Errorf("--seeds: want a number of seeds in [1, 1000], got %d", *seeds)
	}
	for i := range *seeds {
		o.seeds = append(o.seeds, c.Seed+uint64(i))
	}
	for m := range strings.SplitSeq(*model, ",") {
		if m = strings.TrimSpace(m); !slices.Contains(models, m) {
			return nil, fmt.Errorf("--model: want logreg, mlp or both, comma-separated, got %q", *model)
		}
		if !slices.Contains(o.models, m) {
			o.models = append(o.models, m)
		}
	}
	for _, pc := range o.grid.Configs(c) {
		if err := pc.Validate(); err != nil {
			return nil, flagError(err)
		}
	}
	if *bin < 1 || *bin > s.Steps {
		return nil, fmt.Errorf("--bin: want a number of steps in [1, %d], got %d", s.Steps, *bin)
	}
	if *out == "" {
		return nil, errors.New("--out: want a folder")
	}
	return o, nil
}

// flagError names the flag of a configuration error rather than the
// field.
func flagError(err error) error {
	msg := err.Error()
	for field, flag := range map[string]string{"Hidden": "hidden", "Epochs": "epochs", "Patience": "patience", "Batch": "batch", "LR": "lr", "L2": "l2"} {
		msg = strings.Replace(msg, "baseline: "+field+" ", "--"+flag+": ", 1)
	}
	return errors.New(msg)
}

// joinList returns xs as a comma-separated list.
func joinList[T int | float64](xs []T) string {
	var parts []string
	for _, x := range xs {
		parts = append(parts, fmt.Sprint(x))
	}
	return strings.Join(parts, ",")
}

// parseList reads a comma-separated list of numbers into *[]float64 or
// *[]int, refusing an empty list and repeated values.
func parseList(text string, into any) error {
	var n int
	for f := range strings.SplitSeq(text, ",") {
		f = strings.TrimSpace(f)
		var err error
		switch p := into.(type) {
		case *[]float64:
			var v float64
			if v, err = strconv.ParseFloat(f, 64); err == nil {
				if slices.Contains(*p, v) {
					return fmt.Errorf("%g twice in %q", v, text)
				}
				*p = append(*p, v)
			}
		case *[]int:
			var v int
			if v, err = strconv.Atoi(f); err == nil {
				if slices.Contains(*p, v) {
					return fmt.Errorf("%d twice in %q", v, text)
				}
				*p = append(*p, v)
			}
		}
		if err != nil {
			return fmt.Errorf("want comma-separated numbers, got %q", text)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("want a value")
	}
	return nil
}

// runMain is main with its context, streams and exit status explicit.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "baseline: %v\n", err)
		return 2
	}
	log, err := cli.NewLogger(o.settings.LogFormat, o.settings.LogLevel, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "baseline: %v\n", err)
		return 2
	}
	if err := fit(ctx, o, log, stdout); err != nil {
		log.WithError(err).Error("baseline stopped")
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

func fit(ctx context.Context, o *options, log *logrus.Logger, stdout io.Writer) error {
	s := &o.settings
	start := time.Now()
	d, err := s.LoadData(ctx)
	if err != nil {
		return err
	}
	for _, w := range d.Warnings {
		log.WithField("dataset", d.Name).Warn(w)
	}
	var splits [3]*baseline.Features
	for i, sp := range []*datasets.Split{d.Train, d.Validation, d.Test} {
		if splits[i], err = baseline.Flatten(sp, o.bin); err != nil {
			return err
		}
	}
	rep := baseline.Report{Dataset: s.Dataset, DataDir: s.DataDir, Steps: s.Steps, DT: s.DT, Bin: o.bin, Features: splits[0].Dim,
		Train: d.Train.Len(), Validation: d.Validation.Len(), Test: d.Test.Len()}
	log.WithFields(logrus.Fields{"dataset": d.Name, "train": rep.Train, "validation": rep.Validation, "test": rep.Test,
		"features": rep.Features, "took": time.Since(start).Round(time.Millisecond).String()}).Info("data ready")
	if o.features != "" {
		if err := baseline.WriteNPZ(o.features, splits[0], splits[1], splits[2]); err != nil {
			return fmt.Errorf("--write-features: %w", err)
		}
		log.WithField("path", o.features).Info("features written")
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	path := filepath.Join(o.out, fmt.Sprintf("baseline_%s.json", s.Dataset))
	for _, m := range o.models {
		g := o.grid
		if m == "logreg" {
			g.Hidden = []int{0}
		}
		began := time.Now()
		res, err := baseline.Search(ctx, o.config, g, o.seeds, splits[0], splits[1], splits[2], func(c baseline.Config, r *baseline.Result, took time.Duration) {
			log.WithFields(logrus.Fields{"model": m, "lr": c.LR, "l2": c.L2, "hidden": c.Hidden, "seed": c.Seed,
				"best_epoch": r.BestEpoch, "epochs": len(r.History), "val_acc": round(r.Validation.Accuracy),
				"took": took.Round(time.Millisecond).String()}).Info("fit")
		})
		if err != nil {
			return err
		}
		rep.Fits = append(rep.Fits, baseline.ModelSearch{Model: m, Searched: *res, Took: time.Since(began).Round(time.Second).String()})
		sel := res.Selected
		var epochs []int
		for _, r := range res.Runs {
			epochs = append(epochs, r.BestEpoch)
		}
		fmt.Fprintf(stdout, "%s: test accuracy %.2f ± %.2f %% (mean ± 95 %% CI over %d seeds; validation %.2f %%) at lr %g, l2 %g, hidden %d, "+
			"selected on validation among %d configurations; best epochs %v of at most %d\n",
			m, 100*res.Test.Mean, 100*res.Test.CI95, len(res.Runs), 100*res.Validation.Mean, sel.LR, sel.L2, sel.Hidden,
			len(res.Points), epochs, sel.Epochs)
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(path, append(b, '\n')); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "results in %s\n", path)
	return nil
}

func round(x float64) float64 { return float64(int64(x*1e4+0.5)) / 1e4 }

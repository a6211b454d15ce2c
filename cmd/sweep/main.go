// Command sweep trains a grid of networks, in parallel on local cores or
// spread over many machines, each run writing its own folder and record.
//
//	go run ./cmd/sweep --preset robustness --out sweeps/robustness
//	go run ./cmd/sweep --set epochs=30 --grid surrogate='superspike;esser' --grid beta='1;10;100'
//	go run ./cmd/sweep --file my-sweep.yaml --shard 3/16
//
// Runs already completed in --out are skipped, so an interrupted sweep
// restarted with the same arguments does only what is missing. --shard i/n
// (or SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or Kubernetes'
// JOB_COMPLETION_INDEX with SPIKEGRAD_SHARDS) runs every n-th run starting
// at i; copying the shards' folders together merges them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

type options struct {
	file, preset, out, shard, logFormat string
	sets, grids                         multi
	jobs                                int
	dryRun                              bool
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sweep: %v\n", err)
		return 2
	}
	log, err := cli.NewLogger(o.logFormat, "info", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "sweep: %v\n", err)
		return 2
	}
	jobs, err := plan(o, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "sweep: %v\n", err)
		return 2
	}
	if o.dryRun {
		for _, j := range jobs {
			fmt.Fprintln(stdout, j.Name)
		}
		return 0
	}
	start := time.Now()
	log.WithFields(logrus.Fields{"runs": len(jobs), "jobs": o.jobs, "out": o.out}).Info("sweep")
	err = sweep.Execute(ctx, jobs, o.out, o.jobs, nil, func(oc sweep.Outcome) {
		f := logrus.Fields{"run": oc.Job.Name}
		switch {
		case oc.Skipped:
			log.WithFields(f).Info("already completed, skipped")
		case oc.Err != nil:
			log.WithFields(f).WithError(oc.Err).Warn("run failed")
		default:
			f["test_acc"], f["val_acc"], f["spikes"] = oc.Record.Test.Accuracy, oc.Record.Validation.Accuracy, oc.Record.Test.TotalSpikes()
			f["seconds"] = int(oc.Record.WallSeconds)
			log.WithFields(f).Info("run completed")
		}
	})
	fmt.Fprintf(stdout, "sweep of %d runs in %s: %v\n", len(jobs), o.out, time.Since(start).Round(time.Second))
	if err != nil {
		fmt.Fprintf(stderr, "sweep: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.file, "file", "", "sweep file (YAML: name, base, grid, variants; or a list under sweeps)")
	fs.StringVar(&o.preset, "preset", "", "built-in sweep: "+strings.Join(sweep.PresetNames(), ", "))
	fs.Var(&o.sets, "set", "key=value applied to every run (repeatable); any train setting")
	fs.Var(&o.grids, "grid", "key=v1;v2;… a grid axis (repeatable); hidden sizes as 100,100")
	fs.StringVar(&o.out, "out", "sweeps/sweep", "folder of the sweep; each run gets a subfolder")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "runs trained at once")
	fs.StringVar(&o.shard, "shard", "", "i/n: run only shard i (0-based) of n")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the runs (of this shard) and exit")
	fs.StringVar(&o.logFormat, "log-format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	case o.file != "" && o.preset != "":
		return nil, fmt.Errorf("--file and --preset: give one")
	case o.jobs < 1:
		return nil, fmt.Errorf("--jobs: want ≥ 1, got %d", o.jobs)
	}
	return o, nil
}

// plan builds the list of runs of this shard.
func plan(o *options, getenv func(string) string) ([]sweep.Job, error) {
	sweeps, err := o.sweeps()
	if err != nil {
		return nil, err
	}
	base := runs.DefaultSettings("randman")
	jobs, err := sweep.Jobs(base, sweeps)
	if err != nil {
		return nil, err
	}
	i, n, ok, err := shard(o.shard, getenv)
	if err != nil || !ok {
		return jobs, err
	}
	return sweep.Shard(jobs, i, n)
}

// sweeps assembles the sweep from --file or --preset plus --set and --grid.
func (o *options) sweeps() ([]sweep.Sweep, error) {
	var sweeps []sweep.Sweep
	switch {
	case o.file != "":
		doc, err := os.ReadFile(o.file)
		if err != nil {
			return nil, fmt.Errorf("--file: %w", err)
		}
		if sweeps, err = sweep.ParseSweeps(doc); err != nil {
			return nil, fmt.Errorf("%s: %w", o.file, err)
		}
	case o.preset != "":
		var err error
		if _, sweeps, err = sweep.Preset(o.preset); err != nil {
			return nil, fmt.Errorf("--preset: %w", err)
		}
	default:
		sweeps = []sweep.Sweep{{}}
	}
	var extra []sweep.Assignment
	for _, s := range o.sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--set %q: want key=value", s)
		}
		extra = append(extra, sweep.Assignment{Key: k, Value: v})
	}
	var axes []sweep.Axis
	for _, g := range o.grids {
		k, v, ok := strings.Cut(g, "=")
		if !ok || v == "" {
			return nil, fmt.Errorf("--grid %q: want key=v1;v2;…", g)
		}
		axes = append(axes, sweep.Axis{Key: k, Values: strings.Split(v, ";")})
	}
	for i := range sweeps {
		sweeps[i].Base = append(sweeps[i].Base, extra...)
		sweeps[i].Grid = append(sweeps[i].Grid, axes...)
	}
	return sweeps, nil
}

// shard reads --shard i/n, or else the cluster's environment.
func shard(flagValue string, getenv func(string) string) (i, n int, ok bool, err error) {
	if flagValue == "" {
		return sweep.ShardFromEnv(getenv)
	}
	a, b, found := strings.Cut(flagValue, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, false, fmt.Errorf("--shard: want i/n with 0 ≤ i < n, got %q", flagValue)
	}
	return i, n, true, nil
}

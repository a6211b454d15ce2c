// Command reproduce runs the experiments behind every figure of Zenke &
// Vogels (2021) and writes the figures, the tables and a README that sets
// the paper's numbers beside ours.
//
//	go run ./cmd/reproduce --scale quick --out results/quick
//	go run ./cmd/reproduce --scale local --out results/local --jobs 2
//	go run ./cmd/reproduce --scale paper --out results/paper --data data --shard 3/64
//	go run ./cmd/reproduce --scale paper --out results/paper --report-only
//	go run ./cmd/reproduce --scale local --out results/local --sweeps fig6-mnist,fig9-mnist --jobs 1
//
// Scales: quick (every panel on a tiny grid, minutes), local (randman at
// the paper's protocol, MNIST reduced; hours on two cores), paper (the
// full protocol on all five data sets, for a cluster). The grids are the
// built-in sweeps paper-quick, paper-local and paper-full of cmd/sweep.
//
// Runs already completed under --out are skipped and a run stopped
// mid-way continues from its last checkpoint, so an interrupted
// reproduction restarted with the same command does only what is missing.
// --shard i/n (or a regular Slurm job array, or a Kubernetes Indexed Job
// with SPIKEGRAD_SHARDS) runs every n-th run; the tasks of an irregular
// array (--array=1,3,5) have no shard and share --out instead. Copying the
// shards' output folders together merges them, and --report-only then
// writes the report.
// --sweeps runs only the named panels' sweeps; reproductions sharing one
// output folder (say, one for the MNIST panels and one for the rest) take
// turns on its timing file and never train the same run twice; a run that
// another one holds is left until every free run is done, then waited for
// (and taken over if that reproduction dies), so their sweeps may overlap.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/findings"
	"github.com/spikegrad/spikegrad/paper/readme"
	"github.com/spikegrad/spikegrad/sweep"
)

type options struct {
	scale, out, data, shard, sweeps, logFormat string
	sets                                       cli.Repeated
	jobs, verify                               int
	dryRun, reportOnly, noReport               bool
}

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
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 2
	}
	log, err := cli.NewLogger(o.logFormat, "info", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 2
	}
	popt, shardName, err := o.planOptions(getenv, log)
	if err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 2
	}
	plan, err := paper.NewPlan(popt)
	if err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 2
	}
	if o.dryRun {
		dryRun(stdout, plan)
		return 0
	}
	if err := o.checkOut(); err != nil {
		fmt.Fprintf(stderr, "reproduce: --out: %v\n", err)
		return 2
	}
	if o.verify > 0 {
		return verify(ctx, o, plan, log, stdout, stderr)
	}
	code := 0
	if !o.reportOnly {
		code = execute(ctx, o, plan, shardName, log, stdout, stderr)
		if code == 130 {
			return code
		}
	}
	if o.noReport || (popt.Shards > 0 && !o.reportOnly) {
		return code // a shard reports nothing: the merged folder does
	}
	if err := report(ctx, o, popt, stdout); err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 1
	}
	return code
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.scale, "scale", "quick", "quick, local or paper (test: one epoch on tiny data, for the tests)")
	fs.StringVar(&o.out, "out", "", "output folder: runs/, figures/, README.md (default results/<scale>)")
	fs.StringVar(&o.data, "data", "", "folder with the downloaded shd/, rawhd/ and rawsc/ (their sweeps are left out without it)")
	fs.Var(&o.sets, "set", "key=value applied to every run (repeatable); any train setting")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "runs trained at once")
	fs.StringVar(&o.sweeps, "sweeps", "", "run only these sweeps, comma-separated (see --dry-run for their names); the report still covers every record under --out")
	fs.StringVar(&o.shard, "shard", "", "i/n: run only shard i (0-based) of n, and write no report")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the sweeps and their run counts, and exit")
	fs.BoolVar(&o.reportOnly, "report-only", false, "train nothing; write the report from the records under --out")
	fs.BoolVar(&o.noReport, "no-report", false, "train, but write no report")
	fs.IntVar(&o.verify, "verify", 0, "train nothing new: retrain this many completed runs under --out (spread over them), from their records' settings at their thread count, into <out>/verify/, and check each gives its recorded numbers bit for bit")
	fs.StringVar(&o.logFormat, "log-format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	case o.jobs < 1:
		return nil, fmt.Errorf("--jobs: want ≥ 1, got %d", o.jobs)
	case o.reportOnly && o.noReport:
		return nil, errors.New("--report-only and --no-report: give one")
	case o.verify < 0:
		return nil, fmt.Errorf("--verify: want ≥ 0 runs, got %d", o.verify)
	case o.verify > 0 && (o.reportOnly || o.noReport || o.dryRun || o.shard != ""):
		return nil, errors.New("--verify trains no plan and writes no report: give it without --report-only, --no-report, --dry-run and --shard")
	}
	if o.out == "" {
		o.out = "results/" + o.scale
	}
	return o, nil
}

// checkOut makes the output folder, or, for a report alone, checks that it
// holds runs: a mistyped path must not get a report of nothing.
func (o *options) checkOut() error {
	if !o.reportOnly && o.verify == 0 {
		return os.MkdirAll(o.out, 0o755)
	}
	runs := filepath.Join(o.out, paper.RunsDir)
	if fi, err := os.Stat(runs); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s holds no %s folder: no records to report on or verify", o.out, paper.RunsDir)
	}
	return nil
}

// planOptions converts the flags, naming the one at fault.
func (o *options) planOptions(getenv func(string) string, log *logrus.Logger) (paper.Options, string, error) {
	var p paper.Options
	var err error
	if p.Scale, err = paper.ParseScale(o.scale); err != nil {
		return p, "", fmt.Errorf("--%w", err)
	}
	p.Data = o.data
	if o.sweeps != "" && !o.reportOnly {
		for _, n := range strings.Split(o.sweeps, ",") {
			p.Sweeps = append(p.Sweeps, strings.TrimSpace(n))
		}
	}
	for _, s := range o.sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return p, "", fmt.Errorf("--set %q: want key=value", s)
		}
		p.Set = append(p.Set, sweep.Assignment{Key: k, Value: v})
	}
	if o.reportOnly || o.verify > 0 {
		return p, "", nil // the report covers the whole plan, and so may a check
	}
	i, n, ok, err := shard(o.shard, getenv)
	if irr := (*sweep.IrregularArrayError)(nil); errors.As(err, &irr) && o.shard == "" {
		// Nothing asked for shards: reproductions that share --out
		// divide its runs between them without any.
		log.Warnf("%s: the job array is not a regular range, so this task works through the whole plan with the other tasks sharing --out (give --shard i/n for static shards)", irr.Vars)
		return p, "", nil
	}
	if err != nil || !ok {
		return p, "", err
	}
	p.Shard, p.Shards = i, n
	return p, fmt.Sprintf("%d/%d", i, n), nil
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

func dryRun(w io.Writer, p *paper.Plan) {
	fmt.Fprintf(w, "scale %s, preset %s\n", p.Scale, p.Preset)
	for _, b := range p.Batches {
		note := ""
		switch {
		case b.Absent != "":
			note = "  (left out: " + b.Absent + ")"
		case len(p.Only) > 0 && !slices.Contains(p.Only, b.Sweep):
			note = "  (not in --sweeps)"
		}
		fmt.Fprintf(w, "%-22s %-8s %4d runs%s\n", b.Sweep, b.Dataset, len(b.Jobs), note)
	}
	fmt.Fprintf(w, "%d runs to do\n", p.Runs())
}

func execute(ctx context.Context, o *options, p *paper.Plan, shard string, log *logrus.Logger, stdout, stderr io.Writer) int {
	start := time.Now()
	log.WithFields(logrus.Fields{"scale": p.Scale, "runs": p.Runs(), "jobs": o.jobs, "out": o.out, "shard": shard}).Info("reproduce")
	cli.NoteUnstamped(log)
	err := paper.Execute(ctx, p, o.out, o.jobs, shard, func(e paper.Event) {
		f := logrus.Fields{"sweep": e.Sweep, "run": e.Job.Name, "done": fmt.Sprintf("%d/%d", e.Done, e.Total)}
		switch {
		case e.Skipped:
			log.WithFields(f).Debug("already completed, skipped")
		case e.Err != nil:
			log.WithFields(f).WithError(e.Err).Warn("run failed")
		default:
			f["test_acc"], f["val_acc"] = e.Record.Test.Accuracy, e.Record.Validation.Accuracy
			f["seconds"] = int(e.Record.WallSeconds)
			log.WithFields(f).Info("run completed")
		}
	})
	fmt.Fprintf(stdout, "%d runs of scale %s in %s: %v\n", p.Runs(), p.Scale, o.out, time.Since(start).Round(time.Second))
	if err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

// verify retrains o.verify completed runs and reports whether each gives
// its recorded numbers; it exits 1 if any does not.
func verify(ctx context.Context, o *options, p *paper.Plan, log *logrus.Logger, stdout, stderr io.Writer) int {
	res, err := paper.Load(p, o.out)
	if err != nil {
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 1
	}
	log.WithFields(logrus.Fields{"out": o.out, "runs": o.verify}).Info("verify")
	differ := 0
	checks, err := paper.Verify(ctx, res, o.verify, func(c paper.Check) {
		if c.Identical {
			fmt.Fprintf(stdout, "identical  %s/%s (GOMAXPROCS %d)\n", c.Sweep, c.Run, c.Threads)
			return
		}
		differ++
		fmt.Fprintf(stdout, "DIFFERS    %s/%s (GOMAXPROCS %d): %s\n", c.Sweep, c.Run, c.Threads, c.Diff)
	})
	fmt.Fprintf(stdout, "%d of %d runs retrained gave their recorded numbers bit for bit\n", len(checks)-differ, len(checks))
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 130
	case err != nil:
		fmt.Fprintf(stderr, "reproduce: %v\n", err)
		return 1
	case len(checks) == 0:
		fmt.Fprintf(stderr, "reproduce: %s holds no completed run of this plan to verify (are --scale, --set and --sweeps those it was made with?)\n", o.out)
		return 1
	case differ > 0:
		return 1
	}
	return 0
}

// report writes the figures, tables and README from every record of the
// whole plan (unsharded, every sweep). Unless --report-only, it first
// retrains (and verifies) the runs whose weights a figure draws and
// which are not on disk.
func report(ctx context.Context, o *options, popt paper.Options, stdout io.Writer) error {
	popt.Shard, popt.Shards, popt.Sweeps = 0, 0, nil
	p, err := paper.NewPlan(popt)
	if err != nil {
		return err
	}
	res, err := paper.Load(p, o.out)
	if err != nil {
		return err
	}
	if !o.reportOnly {
		_, err := findings.EnsureWeights(ctx, res, func(c paper.Check) {
			fmt.Fprintf(stdout, "retrained %s/%s for its weights, identical to its record: %v\n", c.Sweep, c.Run, c.Identical)
		})
		if err != nil {
			return err
		}
	}
	rep, err := readme.Write(ctx, res, readme.Options{Command: command(o), Data: o.data})
	var files []string
	if rep != nil {
		files = rep.Files
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "wrote %s\n", f)
	}
	return err
}

// command is the command line that trains what o reports on, for the
// README: the same scale, output, data and settings.
func command(o *options) string {
	parts := []string{"go run ./cmd/reproduce", "--scale", o.scale, "--out", o.out}
	if o.data != "" {
		parts = append(parts, "--data", o.data)
	}
	for _, s := range o.sets {
		parts = append(parts, "--set", s)
	}
	parts = append(parts, "--jobs", strconv.Itoa(o.jobs))
	return strings.Join(parts, " ")
}

// Command sweep trains a grid of networks, in parallel on local cores or
// spread over many machines, each run writing its own folder and record.
//
//	go run ./cmd/sweep --preset robustness --out sweeps/robustness
//	go run ./cmd/sweep --set epochs=30 --grid surrogate='superspike;esser' --grid beta='1;10;100'
//	go run ./cmd/sweep --file my-sweep.yaml --shard 3/16
//
// Every run is identified by all its settings and has a folder
// <readable name>-<12 digits of its ID> under --out. Any number of sweep
// processes, on any machines that share --out (a Slurm job array of any
// shape, a Kubernetes Indexed Job, a second terminal), work through one
// sweep together: each claims a run by a lease file in its folder, so no
// run is trained twice, and a run whose process died is taken over from
// its last checkpoint. Runs already completed are skipped, so a restarted
// sweep does only what is missing; a sweep with changed settings is new
// runs. --shard i/n instead runs every n-th run starting at i, for
// machines that cannot share a folder; copying the shards' folders
// together merges them.
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
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/internal/readlimit"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/run/lease"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/sweep"
)

type options struct {
	file, preset, out, shard, logFormat, worker string
	sets, grids                                 cli.Repeated
	jobs, maxRuns                               int
	lease                                       time.Duration
	dryRun, noWait, recordsSuffice              bool
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
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		fmt.Fprintf(stderr, "sweep: --out: %v\n", err)
		return 2
	}
	worker := o.worker
	if worker == "" {
		worker = sweep.WorkerFromEnv(getenv)
	}
	start := time.Now()
	f := logrus.Fields{"runs": len(jobs), "jobs": o.jobs, "out": o.out}
	if worker != "" {
		f["worker"] = worker
	}
	log.WithFields(f).Info("sweep")
	cli.NoteUnstamped(log)
	if n := foreignFolders(o.out, jobs); n > 0 {
		log.WithFields(logrus.Fields{"out": o.out, "folders": n}).Info("the output folder also holds runs of other sweeps or settings; they are left alone (report reads them all)")
	}
	var ran, skipped, failed, elsewhere int
	err = sweep.Work(ctx, jobs, o.out, sweep.Options{Jobs: o.jobs, Lease: o.lease, NoWait: o.noWait, Worker: worker, RecordSuffices: o.recordsSuffice,
		Hooks: func(j sweep.Job) runner.Hooks {
			return runner.Hooks{Note: func(msg string) { log.WithField("run", j.Name).Info(msg) }}
		},
		Waiting: func(held []sweep.Held) {
			for _, h := range held {
				e := log.WithFields(logrus.Fields{"run": filepath.Base(h.Folder)})
				if h.Holder != nil {
					e = e.WithField("held", h.Holder.Error())
				}
				e.Info("waiting for a run another worker holds; it is taken over if that worker stops refreshing its lease")
			}
		},
		Done: func(oc sweep.Outcome) {
			f := logrus.Fields{"run": oc.Job.Name}
			switch {
			case oc.Skipped:
				skipped++
				log.WithFields(f).Info("already completed, skipped")
			case oc.Elsewhere:
				elsewhere++
				log.WithFields(f).WithError(oc.Err).Warn("not done by this worker")
			case oc.Err != nil:
				failed++
				log.WithFields(f).WithError(oc.Err).Warn("run failed")
			default:
				ran++
				f["test_acc"], f["val_acc"], f["spikes"] = oc.Record.Test.Accuracy, oc.Record.Validation.Accuracy, oc.Record.Test.TotalSpikes()
				f["seconds"] = int(oc.Record.WallSeconds)
				if oc.Resumed {
					f["resumed_at_epoch"] = oc.Record.Resumes[len(oc.Record.Resumes)-1].Epoch
				}
				log.WithFields(f).Info("run completed")
			}
		}})
	fmt.Fprintf(stdout, "sweep of %d runs in %s: %d trained here, %d already completed, %d failed, %d left to other workers; %v\n",
		len(jobs), o.out, ran, skipped, failed, elsewhere, time.Since(start).Round(time.Second))
	if err != nil {
		fmt.Fprintf(stderr, "sweep: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

// foreignFolders counts the folders in out that are not runs of jobs.
func foreignFolders(out string, jobs []sweep.Job) int {
	names := map[string]bool{}
	for _, j := range jobs {
		names[j.Name] = true
	}
	entries, _ := os.ReadDir(out)
	n := 0
	for _, e := range entries {
		if e.IsDir() && !names[e.Name()] && !strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n
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
	fs.StringVar(&o.shard, "shard", "", "i/n: run only every n-th run starting at i (0-based), for machines that do not share --out (workers that share it need no shards); env: i/n from a regular Slurm job array or a Kubernetes Indexed Job (SPIKEGRAD_SHARDS)")
	fs.IntVar(&o.maxRuns, "max-runs", sweep.DefaultMaxRuns, "refuse sweeps of more runs than this (counted before they are expanded)")
	fs.DurationVar(&o.lease, "lease", lease.DefaultTTL, "time after which the run of a worker that stopped refreshing its lease (a lost machine) is taken over; one on this machine is taken over as soon as it is gone")
	fs.BoolVar(&o.noWait, "no-wait", false, "stop when no run is left to claim instead of waiting for the runs other workers hold (and taking over those whose worker dies)")
	fs.BoolVar(&o.recordsSuffice, "records-suffice", false, "count a run as done when its folder holds its completed record, even without checkpoints (results whose records are kept in version control and whose weights are not)")
	fs.StringVar(&o.worker, "worker", "", "name of this worker in leases and logs (default: from Slurm's or Kubernetes' environment)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the runs (of this shard) and exit")
	fs.StringVar(&o.logFormat, "log-format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	case o.file != "" && o.preset != "":
		return nil, fmt.Errorf("--file and --preset: give one")
	case o.jobs < 1:
		return nil, fmt.Errorf("--jobs: want ≥ 1, got %d", o.jobs)
	case o.maxRuns < 1:
		return nil, fmt.Errorf("--max-runs: want ≥ 1, got %d", o.maxRuns)
	case o.lease < time.Second || o.lease > lease.MaxTTL:
		return nil, fmt.Errorf("--lease: want 1s to %v, got %v", lease.MaxTTL, o.lease)
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
	base.Out = o.out
	jobs, err := sweep.Expand(base, sweeps, o.maxRuns)
	if err != nil {
		if o.file != "" {
			return nil, fmt.Errorf("%s: %w", o.file, err)
		}
		return nil, err
	}
	if o.shard == "" {
		return jobs, nil
	}
	if o.shard == "env" {
		i, n, ok, err := sweep.ShardFromEnv(getenv)
		if err != nil {
			return nil, fmt.Errorf("--shard env: %w", err)
		}
		if !ok {
			return nil, fmt.Errorf("--shard env: neither a Slurm job array (SLURM_ARRAY_TASK_ID) nor a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) is set")
		}
		return sweep.Shard(jobs, i, n)
	}
	i, n, err := shard(o.shard)
	if err != nil {
		return nil, err
	}
	return sweep.Shard(jobs, i, n)
}

// sweeps assembles the sweep from --file or --preset plus --set and --grid.
func (o *options) sweeps() ([]sweep.Sweep, error) {
	var sweeps []sweep.Sweep
	switch {
	case o.file != "":
		doc, err := readlimit.ReadFile(o.file, readlimit.Config)
		if err != nil {
			return nil, fmt.Errorf("--file: %w (a sweep file is a few kilobytes of YAML)", err)
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

// shard reads --shard i/n.
func shard(flagValue string) (i, n int, err error) {
	a, b, found := strings.Cut(flagValue, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard: want i/n with 0 ≤ i < n, got %q", flagValue)
	}
	return i, n, nil
}

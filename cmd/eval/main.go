// Command eval evaluates a checkpoint written by cmd/train on a split of its
// data set: loss, accuracy, confusion matrix and spike statistics, and on
// request a JSON file with every sample's logits and prediction, and
// activity snapshots (spike rasters and membrane traces) of a few samples.
//
//	go run ./cmd/eval --checkpoint runs/<run>/best.npz --split test --json eval.json
//
// The checkpoint may also be a NIR file (.nir): one written by cmd/export
// carries its run's settings; for one written by another library, --dataset
// names the data set, whose default settings (time step included) apply.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

type options struct {
	checkpoint, split, dataDir, jsonOut, snapshotOut, dataset string
	batch, snapshots                                          int
	nirDT                                                     float64
	discretisation                                            string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "eval: %v\n", err)
		return 2
	}
	if err := evaluate(ctx, o, stdout); err != nil {
		fmt.Fprintf(stderr, "eval: %v\n", err)
		if errors.As(err, new(*usageError)) {
			return 2
		}
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint (.npz) written by cmd/train, or NIR file (.nir) (required)")
	fs.StringVar(&o.dataset, "dataset", "", "data set of a NIR file that does not carry spikegrad settings (one not written by cmd/export); a file that carries them is evaluated on its own data set, and another one given here is refused")
	fs.StringVar(&o.split, "split", "test", "split to evaluate: train, validation or test")
	fs.StringVar(&o.dataDir, "data-dir", "", "override the data folder stored in the checkpoint")
	fs.IntVar(&o.batch, "batch", 250, "evaluation batch size")
	fs.StringVar(&o.jsonOut, "json", "", "write the full result, with per-sample logits and predictions, to this JSON file")
	fs.IntVar(&o.snapshots, "snapshot", 0, "record the activity of the first N samples of the split")
	fs.Float64Var(&o.nirDT, "nir-dt", 0, "time step of a NIR file from another library, in the unit of its time constants (snnTorch and Norse files: seconds, e.g. 0.0001 for snnTorch's); 0: the data set's dt")
	fs.StringVar(&o.discretisation, "discretisation", "", "discretisation to run a NIR file with (paper or euler; default: the one its metadata records, else euler, as snnTorch and Norse step it)")
	fs.StringVar(&o.snapshotOut, "snapshot-out", "", "file for --snapshot (default: snapshot.json beside the checkpoint, in its run folder)")
	if err := fs.Parse(args); err != nil {
		return nil, cli.HintFlag(fs, err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	case o.checkpoint == "":
		return nil, fmt.Errorf("--checkpoint is required")
	case o.split != "train" && o.split != "validation" && o.split != "test":
		return nil, fmt.Errorf("--split: want train, validation or test, got %q", o.split)
	case !(o.nirDT >= 0) || math.IsInf(o.nirDT, 0):
		return nil, fmt.Errorf("--nir-dt: want a time step ≥ 0, got %g", o.nirDT)
	case o.discretisation != "" && network.Discretisation(o.discretisation) != network.Paper && network.Discretisation(o.discretisation) != network.Euler:
		return nil, fmt.Errorf("--discretisation: want %s or %s, got %.40q", network.Paper, network.Euler, o.discretisation)
	case o.batch < 1:
		return nil, fmt.Errorf("--batch: want ≥ 1, got %d", o.batch)
	case o.snapshots < 0:
		return nil, fmt.Errorf("--snapshot: want ≥ 0, got %d", o.snapshots)
	case o.dataset != "" && !slices.Contains(runs.DataSetNames(), o.dataset):
		return nil, fmt.Errorf("--dataset: unknown data set %q, want one of %s", o.dataset, strings.Join(runs.DataSetNames(), ", "))
	}
	return o, nil
}

// usageError is a command line that contradicts the file it names.
type usageError struct{ error }

func (e *usageError) Unwrap() error { return e.error }

// Result is what --json writes.
type Result struct {
	Checkpoint string               `json:"checkpoint"`
	Split      string               `json:"split"`
	Metrics    metrics.Metrics      `json:"metrics"`
	Confusion  [][]int              `json:"confusion"` // [true][predicted]
	Activity   []metrics.SpikeStats `json:"activity"`
	Samples    []Sample             `json:"samples"`
}

// Sample is one sample's outcome.
type Sample struct {
	Index     int       `json:"index"`
	Label     int       `json:"label"`
	Predicted int       `json:"predicted"`
	Logits    []float64 `json:"logits"`
}

func evaluate(ctx context.Context, o *options, stdout io.Writer) error {
	var base *runs.Settings // settings for a NIR file from another library
	if o.dataset != "" {
		d := runs.DefaultSettings(o.dataset)
		base = &d
	}
	if (o.nirDT != 0 || o.discretisation != "") && !runner.IsNIR(o.checkpoint) {
		return &usageError{fmt.Errorf("--nir-dt and --discretisation are for NIR files; %s is a checkpoint", o.checkpoint)}
	}
	ck, err := runner.LoadNetworkWith(o.checkpoint, base, nir.Options{DT: o.nirDT, Discretisation: o.discretisation})
	if err != nil {
		return err
	}
	for _, n := range ck.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	s := ck.Settings
	// A file that carries its settings keeps its data set: evaluating
	// it on another one would quietly answer a different question.
	if o.dataset != "" && s.Dataset != o.dataset {
		return &usageError{fmt.Errorf("--dataset %s: checkpoint %s was trained on %s and carries its settings; "+
			"--dataset is for NIR files from other libraries (leave it out, or give --dataset %s)", o.dataset, o.checkpoint, s.Dataset, s.Dataset)}
	}
	if o.dataDir != "" {
		s.DataDir = o.dataDir
	}
	// The settings come from the file: what they would load must fit
	// before anything is loaded (evaluation keeps no gradients, but the
	// data set is the same).
	s.Batch = min(s.Batch, o.batch)
	if err := s.CheckMemory(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", o.checkpoint, err)
	}
	d, err := s.LoadData(ctx)
	if err != nil {
		return err
	}
	split := map[string]*datasets.Split{"train": d.Train, "validation": d.Validation, "test": d.Test}[o.split]
	if split.Len() == 0 {
		return fmt.Errorf("the %s split of %s is empty", o.split, d.Name)
	}
	spec, err := s.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		return err
	}
	ev, err := train.NewEvaluator(spec, min(o.batch, split.Len()), ck.Weights)
	if err != nil {
		return fmt.Errorf("checkpoint %s does not fit data set %s: %w", o.checkpoint, d.Name, err)
	}
	defer ev.Close()
	res, err := collect(ev, split)
	if err != nil {
		return err
	}
	res.Checkpoint, res.Split = o.checkpoint, o.split
	report(stdout, res, d.ClassNames)
	if o.jsonOut != "" {
		if err := writeJSON(o.jsonOut, res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", o.jsonOut)
	}
	if o.snapshots > 0 {
		return snapshot(ev, split, o, s.DT, stdout)
	}
	return nil
}

// collect evaluates the split in one pass: metrics, activity, confusion
// matrix and every sample's outcome.
func collect(ev *train.Evaluator, split *datasets.Split) (*Result, error) {
	C := ev.Model.Spec.Outputs
	res := &Result{Confusion: make([][]int, C)}
	for i := range res.Confusion {
		res.Confusion[i] = make([]int, C)
	}
	var err error
	res.Metrics, res.Activity, err = ev.Measure(split, func(out train.Output) {
		smp := Sample{Index: out.Index, Label: split.Samples[out.Index].Label, Logits: append([]float64(nil), out.Logits...)}
		smp.Predicted = metrics.Argmax(smp.Logits)
		res.Confusion[smp.Label][smp.Predicted]++
		res.Samples = append(res.Samples, smp)
	})
	return res, err
}

// snapshot writes the activity of the split's first samples. By default the
// file goes beside the checkpoint: into its run folder, which git ignores,
// rather than wherever the command was started.
func snapshot(ev *train.Evaluator, split *datasets.Split, o *options, dt float64, stdout io.Writer) error {
	out := o.snapshotOut
	if out == "" {
		out = filepath.Join(filepath.Dir(o.checkpoint), "snapshot.json")
	}
	n := min(o.snapshots, split.Len(), ev.Model.Batch)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	snaps, err := ev.Snapshots(split, idx)
	if err != nil {
		return err
	}
	if err := writeJSON(out, snaps); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote activity of %d sample%s to %s; draw it with: go run ./cmd/report --snapshot %s --snapshot-dt %g\n", n, map[bool]string{true: "s"}[n != 1], out, out, dt)
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}

func report(w io.Writer, r *Result, names []string) {
	m := r.Metrics
	fmt.Fprintf(w, "%s split: %d samples, accuracy %.2f%%, loss %.4f\n", r.Split, m.N, 100*m.Accuracy, m.Loss)
	for l, a := range r.Activity {
		// Layers count from 1 in everything people read, as in cmd/report.
		fmt.Fprintf(w, "hidden layer %d: %.1f spikes per input, %.0f%% of %d neurons silent, max rate %.1f Hz\n",
			l+1, a.PerInput, 100*a.Silent, a.Neurons, a.MaxRate)
	}
	confusion(w, r.Confusion, names)
}

// confusion prints the matrix with its classes numbered along both sides
// and named down the left, where there is room.
func confusion(w io.Writer, m [][]int, names []string) {
	const label = "%4d %-12.12s"
	fmt.Fprintf(w, "confusion matrix (rows: true class, columns: predicted class):\n")
	fmt.Fprintf(w, "%17s", "predicted:")
	for c := range m {
		fmt.Fprintf(w, " %4d", c)
	}
	fmt.Fprintln(w)
	for c, row := range m {
		name := ""
		if c < len(names) && names[c] != fmt.Sprint(c) {
			name = names[c]
		}
		fmt.Fprintf(w, label, c, name)
		for _, v := range row {
			fmt.Fprintf(w, " %4d", v)
		}
		fmt.Fprintln(w)
	}
}

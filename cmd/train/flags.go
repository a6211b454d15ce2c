package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/train"
)

var errHelp = errors.New("help requested")

// options are the parsed and checked command-line settings.
type options struct {
	dataset string
	randman datasets.RandmanConfig
	model   models.Spec
	train   train.Config

	logJSON  bool
	logLevel logrus.Level
}

// raw holds flag values that need parsing beyond what package flag does.
type raw struct {
	hidden, surrogate, readout, dtype, logFormat, logLevel string
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{randman: datasets.DefaultRandman(), model: models.Default(), train: train.DefaultConfig()}
	var r raw
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o.define(fs, &r)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./cmd/train [flags]\n\nTrains a spiking network with surrogate gradients; with no flags, the default\nnetwork on the default randman task. Flags:\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (all settings are flags; see --help)", fs.Arg(0))
	}
	if err := o.finish(r); err != nil {
		return nil, err
	}
	return o, o.check()
}

func (o *options) define(fs *flag.FlagSet, r *raw) {
	m, t, d := &o.model, &o.train, &o.randman
	fs.StringVar(&o.dataset, "dataset", "randman", "data set: randman (generated in-process)")
	fs.IntVar(&d.Classes, "randman-classes", d.Classes, "randman: number of classes (manifolds)")
	fs.IntVar(&d.Units, "randman-units", d.Units, "randman: input units M (embedding dimension)")
	fs.IntVar(&d.Dim, "randman-dim", d.Dim, "randman: intrinsic manifold dimension D")
	fs.Float64Var(&d.Alpha, "randman-alpha", d.Alpha, "randman: smoothness α (larger is smoother)")
	fs.IntVar(&d.SamplesPerClass, "randman-samples", d.SamplesPerClass, "randman: samples per class")
	fs.IntVar(&d.TrainPerClass, "randman-train", d.TrainPerClass, "randman: training samples per class")
	fs.IntVar(&d.ValidationPerClass, "randman-validation", d.ValidationPerClass, "randman: validation samples per class (the rest is test)")
	fs.IntVar(&d.Window, "randman-window", d.Window, "randman: spike-time window τ_randman in steps")
	fs.Uint64Var(&d.Seed, "data-seed", d.Seed, "seed of the generated data set")
	fs.IntVar(&m.Steps, "steps", m.Steps, "time steps T per sample")
	fs.StringVar(&r.hidden, "hidden", "100", "hidden layer sizes, comma-separated (\"\" or 0 for none), e.g. 100 or 128,128")
	fs.BoolVar(&m.Recurrent, "recurrent", m.Recurrent, "add recurrent weights to every hidden layer")
	fs.BoolVar(&m.RecurrentGrad, "recurrent-grad", m.RecurrentGrad, "let the gradient flow through recurrent connections (default: detached)")
	fs.BoolVar(&m.DifferentiableReset, "diff-reset", m.DifferentiableReset, "let the gradient flow through the spike reset (default: detached)")
	fs.StringVar(&r.surrogate, "surrogate", m.Surrogate.Shape.String(), "surrogate derivative: "+strings.Join(ops.ShapeNames(), ", "))
	fs.Float64Var(&m.Surrogate.Beta, "beta", m.Surrogate.Beta, "surrogate slope β (≥ 0)")
	fs.StringVar(&r.readout, "readout", m.Readout.String(), "logits from the readout potentials: max or sum over time")
	fs.Float64Var(&m.DT, "dt", m.DT, "time step Δt in ms")
	fs.Float64Var(&m.TauMem, "tau-mem", m.TauMem, "membrane time constant τ_mem in ms")
	fs.Float64Var(&m.TauSyn, "tau-syn", m.TauSyn, "synaptic time constant τ_syn in ms")
	fs.Float64Var(&m.TauReadout, "tau-readout", m.TauReadout, "readout membrane time constant in ms")
	fs.Float64Var(&m.Gain, "gain", m.Gain, "initialisation gain g: weights ~ U(−g/√fan_in, g/√fan_in)")
	fs.IntVar(&t.Epochs, "epochs", t.Epochs, "training epochs")
	fs.IntVar(&t.Batch, "batch", t.Batch, "minibatch size")
	fs.Float64Var(&t.LR, "lr", t.LR, "Adam learning rate")
	fs.Uint64Var(&t.Seed, "seed", t.Seed, "seed of weight initialisation and minibatch order")
	fs.StringVar(&r.dtype, "dtype", "float32", "float32 or float64")
	fs.StringVar(&r.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&r.logLevel, "log-level", "info", "log level: debug, info, warn or error")
}

// finish parses the flags that package flag keeps as strings.
func (o *options) finish(r raw) error {
	var err error
	if o.model.Hidden, err = parseHidden(r.hidden); err != nil {
		return err
	}
	if o.model.Surrogate.Shape, err = ops.ParseShape(r.surrogate); err != nil {
		return fmt.Errorf("--surrogate: %w", err)
	}
	if o.model.Readout, err = graph.ParseReduction(r.readout); err != nil {
		return fmt.Errorf("--readout: %w", err)
	}
	switch r.dtype {
	case "float32":
		o.train.DType = tensor.Float32
	case "float64":
		o.train.DType = tensor.Float64
	default:
		return fmt.Errorf("--dtype: want float32 or float64, got %q", r.dtype)
	}
	switch r.logFormat {
	case "text", "json":
		o.logJSON = r.logFormat == "json"
	default:
		return fmt.Errorf("--log-format: want text or json, got %q", r.logFormat)
	}
	if o.logLevel, err = logrus.ParseLevel(r.logLevel); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	return nil
}

func parseHidden(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "none" {
		return nil, nil
	}
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--hidden: want comma-separated positive layer sizes, got %q", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// check validates the settings, naming the flag at fault.
func (o *options) check() error {
	t, m := o.train, o.model
	switch {
	case o.dataset != "randman":
		return fmt.Errorf("--dataset: unknown data set %q (available: randman)", o.dataset)
	case t.Epochs < 1:
		return fmt.Errorf("--epochs: want ≥ 1, got %d", t.Epochs)
	case t.Batch < 1:
		return fmt.Errorf("--batch: want ≥ 1, got %d", t.Batch)
	case !(t.LR > 0):
		return fmt.Errorf("--lr: want a positive learning rate, got %g", t.LR)
	case !(m.Surrogate.Beta >= 0):
		return fmt.Errorf("--beta: want a slope ≥ 0, got %g", m.Surrogate.Beta)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"dt", m.DT}, {"tau-mem", m.TauMem}, {"tau-syn", m.TauSyn}, {"tau-readout", m.TauReadout}, {"gain", m.Gain}} {
		if !(f.v > 0) {
			return fmt.Errorf("--%s: want a positive number, got %g", f.name, f.v)
		}
	}
	if m.RecurrentGrad && !m.Recurrent {
		return fmt.Errorf("--recurrent-grad needs --recurrent")
	}
	if o.dataset == "randman" {
		o.randman.Steps = m.Steps
		if err := o.randman.Validate(); err != nil {
			return fmt.Errorf("randman flags: %w", err)
		}
	}
	return nil
}

func (o *options) loadData() (*datasets.Data, error) {
	return datasets.Randman(o.randman)
}

// spec completes the model spec with the data set's shape.
func (o *options) spec(d *datasets.Data) models.Spec {
	s := o.model
	s.Inputs, s.Outputs, s.Steps = d.Train.Units, d.Train.Classes, d.Train.Steps
	return s
}

func (o *options) trainConfig() train.Config { return o.train }

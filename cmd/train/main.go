// Command train trains a spiking neural network with surrogate gradients.
//
// With no flags it trains the default network of Zenke & Vogels (2021) on
// the default random-manifold (randman) task, generated in-process, and ends
// with a line stating the test accuracy of the weights that did best on the
// validation split. Every setting is a flag and a key of a YAML file given
// with --config; run with --help for the list. Each run writes its settings,
// best and last weights and a run record into a folder under --out.
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
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/network"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

const usage = `Usage: go run ./cmd/train [flags]

Trains a spiking network with surrogate gradients; with no flags, the default
network on the default randman task.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main with its context, streams and exit status explicit, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a, err := cli.ParseArgs("train", usage, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return 2
	}
	if a.PrintConfig {
		y, err := a.Settings.YAML()
		if err != nil {
			fmt.Fprintf(stderr, "train: %v\n", err)
			return 1
		}
		stdout.Write(y)
		return 0
	}
	log, err := cli.NewLogger(a.Settings.LogFormat, a.Settings.LogLevel, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return 2
	}
	// The library never changes GOMAXPROCS; the command does, when asked.
	// Results depend on the thread count only through rounding, but
	// fixing it fixes them bit for bit.
	if a.Settings.Threads > 0 {
		runtime.GOMAXPROCS(a.Settings.Threads)
	}
	start := time.Now()
	p := newProgress(stdout, log, a.Settings.Epochs)
	init := newInitLog(a.Settings)
	rec, dir, err := runner.Execute(ctx, a.Settings, runner.Hooks{
		Data: func(d *datasets.Data, took time.Duration) {
			log.WithFields(logrus.Fields{"dataset": d.Name, "train": d.Train.Len(), "validation": d.Validation.Len(),
				"test": d.Test.Len(), "inputs": d.Train.Units, "steps": d.Train.Steps, "classes": d.Train.Classes,
				"took": took.Round(time.Millisecond).String()}).Info("data ready")
			for _, n := range d.Notes {
				log.WithField("dataset", d.Name).Info(n)
			}
			for _, w := range d.Warnings {
				log.WithField("dataset", d.Name).Warn(w)
			}
		},
		Start: func(spec network.Spec, dir string) {
			f := logrus.Fields{"hidden": spec.Hidden, "recurrent": spec.Recurrent,
				"surrogate": spec.Surrogate.String(), "readout": spec.Readout.String(), "epochs": a.Settings.Epochs,
				"batch": a.Settings.Batch, "lr": a.Settings.LR, "seed": a.Settings.Seed, "dtype": a.Settings.DType,
				"init": init.String(), "dir": dir}
			if init.gain {
				f["gain"] = spec.Gain
			}
			log.WithFields(f).Info("training")
			init.start(log)
		},
		Init:  func(layer, layers int, took time.Duration) { init.layer(log, layer, layers, took) },
		Epoch: p.epoch,
		Note:  func(msg string) { log.Info(msg) },
	})
	p.finish()
	if dir != "" {
		// Say what is on disk, not what should be.
		if files := runs.Files(dir); len(files) > 0 {
			fmt.Fprintf(stdout, "run folder %s holds %s\n", dir, strings.Join(files, ", "))
		}
	}
	if err != nil {
		log.WithError(err).Error("training stopped")
		switch {
		case rec != nil && rec.BestEpoch > 0 && len(runs.Files(dir, runs.BestFile)) == 1:
			fmt.Fprintf(stdout, "the best weights so far (epoch %d, validation accuracy %.2f%%) are in %s\n",
				rec.BestEpoch, 100*rec.Validation.Accuracy, filepath.Join(dir, runs.BestFile))
		case rec != nil && len(rec.History) == 0:
			fmt.Fprintf(stdout, "no weights were saved: training stopped before the end of its first epoch\n")
		}
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	fmt.Fprintf(stdout, "test accuracy %.2f%% (loss %.4f, %d samples) with the weights of epoch %d (best validation accuracy), %.1f hidden spikes per input, total time %v\n",
		100*rec.Test.Accuracy, rec.Test.Loss, rec.Test.N, rec.BestEpoch, rec.Test.TotalSpikes(), time.Since(start).Round(time.Second))
	return 0
}

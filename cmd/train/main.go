// Command train trains a spiking neural network with surrogate gradients.
//
// With no flags it trains the default network of Zenke & Vogels (2021) on
// the default random-manifold (randman) task, generated in-process, and ends
// with a line stating the test accuracy of the weights that did best on the
// validation split. Run with --help for every setting.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/train"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its streams and exit status made explicit, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return 2
	}
	log := newLogger(opts, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := execute(ctx, opts, log, stdout); err != nil {
		log.WithError(err).Error("training failed")
		return 1
	}
	return 0
}

func newLogger(o *options, w io.Writer) *logrus.Logger {
	log := logrus.New()
	log.SetOutput(w)
	log.SetLevel(o.logLevel)
	if o.logJSON {
		log.SetFormatter(&logrus.JSONFormatter{})
	} else {
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: time.TimeOnly})
	}
	return log
}

func execute(ctx context.Context, o *options, log *logrus.Logger, stdout io.Writer) error {
	start := time.Now()
	data, err := o.loadData()
	if err != nil {
		return err
	}
	log.WithFields(logrus.Fields{
		"dataset": data.Name, "train": data.Train.Len(), "validation": data.Validation.Len(),
		"test": data.Test.Len(), "inputs": data.Train.Units, "steps": data.Train.Steps,
		"classes": data.Train.Classes, "took": time.Since(start).Round(time.Millisecond),
	}).Info("data ready")
	spec := o.spec(data)
	cfg := o.trainConfig()
	log.WithFields(logrus.Fields{
		"hidden": spec.Hidden, "recurrent": spec.Recurrent, "surrogate": spec.Surrogate.String(),
		"readout": spec.Readout.String(), "epochs": cfg.Epochs, "batch": cfg.Batch, "lr": cfg.LR,
		"seed": cfg.Seed, "dtype": cfg.DType.String(), "gain": spec.Gain,
	}).Info("training")
	progress := newProgress(stdout, log, cfg.Epochs)
	cfg.OnBatch = progress.batch
	cfg.OnEpoch = progress.epoch
	res, err := train.Run(ctx, spec, data, cfg)
	progress.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "test accuracy %.2f%% (loss %.4f, %d samples) with the weights of epoch %d (best validation accuracy), %.1f hidden spikes per input, total time %v\n",
		100*res.Test.Accuracy, res.Test.Loss, res.Test.N, res.BestEpoch, res.Test.TotalSpikes(), time.Since(start).Round(time.Second))
	return nil
}

package main

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/sirupsen/logrus"
	"golang.org/x/term"

	"github.com/spikegrad/spikegrad/metrics"
)

// progress shows a bar over epochs on a terminal, and otherwise one log line
// per epoch (which it also writes on a terminal, above the bar).
type progress struct {
	log *logrus.Logger
	bar *progressbar.ProgressBar
}

func newProgress(out io.Writer, log *logrus.Logger, epochs int) *progress {
	p := &progress{log: log}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(epochs,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("epochs"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish())
	}
	return p
}

func (p *progress) epoch(e metrics.Epoch) {
	if p.bar != nil {
		p.bar.Clear()
	}
	p.log.WithFields(logrus.Fields{
		"epoch":            e.Epoch,
		"train_loss":       round(e.Train.Loss),
		"train_acc":        round(e.Train.Accuracy),
		"val_loss":         round(e.Validation.Loss),
		"val_acc":          round(e.Validation.Accuracy),
		"spikes_per_input": round(e.Validation.TotalSpikes()),
		"took":             e.Duration.Round(1e6).String(),
	}).Info("epoch")
	if p.bar != nil {
		p.bar.Add(1)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func round(x float64) float64 { return float64(int64(x*1e4+0.5)) / 1e4 }

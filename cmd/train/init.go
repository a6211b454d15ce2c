package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	runs "github.com/spikegrad/spikegrad/run"
)

// initLog says which initialisation a run uses and, for the
// fluctuation-driven one, which measures the training data for seconds
// before epoch 1, that it is under way and how long it took.
type initLog struct {
	desc    string
	gain    bool // the uniform initialisation, whose scale is the gain
	measure bool // the fluctuation-driven initialisation runs before epoch 1
	samples int
}

func newInitLog(s *runs.Settings) *initLog {
	switch {
	case s.Resume != "":
		return &initLog{desc: "weights of " + filepath.Base(s.Resume)}
	case s.Init == "fluctuation":
		return &initLog{desc: fmt.Sprintf("fluctuation, ξ = %g, %d samples", s.InitXi, s.InitSamples), measure: true, samples: s.InitSamples}
	}
	return &initLog{desc: fmt.Sprintf("uniform, gain %g", s.Gain), gain: true}
}

func (l *initLog) String() string { return l.desc }

// start is called when training starts, before the initialisation.
func (l *initLog) start(log *logrus.Logger) {
	if !l.measure {
		return
	}
	log.WithField("init", l.desc).Infof("initialising: measuring the input of each hidden layer on up to %d training samples before epoch 1", l.samples)
}

// layer is called as the initialisation sets each hidden layer; the last
// one ends it.
func (l *initLog) layer(log *logrus.Logger, layer, layers int, took time.Duration) {
	f := logrus.Fields{"init": l.desc, "layer": fmt.Sprintf("%d/%d", layer, layers), "took": took.Round(time.Millisecond).String()}
	if layer < layers {
		log.WithFields(f).Info("initialising: hidden layer set")
		return
	}
	delete(f, "layer")
	log.WithFields(f).Info("initialised")
}

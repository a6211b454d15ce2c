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
	began   time.Time
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
	l.began = time.Now()
	log.WithField("init", l.desc).Infof("initialising: measuring the input of each hidden layer on up to %d training samples before epoch 1", l.samples)
}

// done is called after every training batch; the first one ends the
// initialisation. The engine reports nothing between the two, so the time
// includes that batch, a small share of an epoch.
func (l *initLog) done(log *logrus.Logger) {
	if l.began.IsZero() {
		return
	}
	log.WithFields(logrus.Fields{"init": l.desc, "took": time.Since(l.began).Round(time.Millisecond).String()}).
		Info("initialised (the time includes the first training batch)")
	l.began = time.Time{}
}

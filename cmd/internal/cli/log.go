package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/spikegrad/spikegrad/run"
)

// NewLogger returns a logrus logger writing to w in format "text" or
// "json" at level "debug", "info", "warn" or "error". An unknown format or
// level is an error naming the flag.
func NewLogger(format, level string, w io.Writer) (*logrus.Logger, error) {
	log := logrus.New()
	log.SetOutput(w)
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level: want debug, info, warn or error, got %q", level)
	}
	log.SetLevel(lvl)
	switch format {
	case "json":
		log.SetFormatter(&logrus.JSONFormatter{})
	case "text":
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, TimestampFormat: time.TimeOnly})
	default:
		return nil, fmt.Errorf("--log-format: want text or json, got %q", format)
	}
	return log, nil
}

// NoteUnstamped says, before a sweep writes its run records, when the
// build does not carry its commit, so that the records will not name it
// (`go run` never stamps it).
func NoteUnstamped(log *logrus.Logger) {
	if note := run.CurrentSoftware().RevisionNote(); note != "" {
		log.Info(note)
	}
}

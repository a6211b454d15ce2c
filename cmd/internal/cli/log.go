package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sirupsen/logrus"
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

// Slog returns a log/slog logger whose records go to log, for libraries
// that take one (datasets.Download): their lines then look like the
// command's own.
func Slog(log *logrus.Logger) *slog.Logger { return slog.New(slogHandler{log: log}) }

// slogHandler hands slog records to logrus.
type slogHandler struct {
	log    *logrus.Logger
	fields logrus.Fields
	group  string
}

func (h slogHandler) Enabled(_ context.Context, l slog.Level) bool {
	return h.log.IsLevelEnabled(logrusLevel(l))
}

func (h slogHandler) Handle(_ context.Context, r slog.Record) error {
	f := logrus.Fields{}
	for k, v := range h.fields {
		f[k] = v
	}
	r.Attrs(func(a slog.Attr) bool {
		h.add(f, a)
		return true
	})
	h.log.WithFields(f).WithTime(r.Time).Log(logrusLevel(r.Level), r.Message)
	return nil
}

func (h slogHandler) add(f logrus.Fields, a slog.Attr) {
	key := a.Key
	if h.group != "" {
		key = h.group + "." + key
	}
	f[key] = a.Value.Resolve().Any()
}

func (h slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	f := logrus.Fields{}
	for k, v := range h.fields {
		f[k] = v
	}
	for _, a := range attrs {
		h.add(f, a)
	}
	h.fields = f
	return h
}

func (h slogHandler) WithGroup(name string) slog.Handler {
	if h.group != "" {
		name = h.group + "." + name
	}
	h.group = name
	return h
}

func logrusLevel(l slog.Level) logrus.Level {
	switch {
	case l >= slog.LevelError:
		return logrus.ErrorLevel
	case l >= slog.LevelWarn:
		return logrus.WarnLevel
	case l >= slog.LevelInfo:
		return logrus.InfoLevel
	}
	return logrus.DebugLevel
}

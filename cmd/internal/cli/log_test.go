package cli_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/cmd/internal/cli"
)

// A bad level or format is an error naming the flag, no longer ignored.
func TestNewLoggerRejectsBadValues(t *testing.T) {
	if _, err := cli.NewLogger("text", "loud", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Errorf("level loud: %v, want an error naming --log-level", err)
	}
	if _, err := cli.NewLogger("xml", "info", &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("format xml: %v, want an error naming --log-format", err)
	}
}

func TestNewLoggerLevelAndFormat(t *testing.T) {
	var buf bytes.Buffer
	log, err := cli.NewLogger("json", "warn", &buf)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hidden")
	log.WithField("epoch", 3).Warn("shown")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["msg"] != "shown" || line["epoch"] != 3.0 {
		t.Errorf("log output %q: want one JSON line, the warning", buf.String())
	}
}

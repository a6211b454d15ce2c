package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// Issue 23, item 15: the fluctuation-driven initialisation took seconds
// before epoch 1 with nothing logged, and the training line printed gain=5
// whatever the initialisation.
func TestTrainingLineNamesTheInitialisation(t *testing.T) {
	for _, c := range []struct {
		args     []string
		init     string
		gain     bool
		measured bool
	}{
		{nil, "uniform, gain 5", true, false},
		{[]string{"--init", "fluctuation"}, "fluctuation, ξ = 2, 256 samples", false, true},
	} {
		var out, errs bytes.Buffer
		args := append(append(append([]string{}, small...), "--epochs", "1", "--out", t.TempDir(), "--log-format", "json"), c.args...)
		if code := run(context.Background(), args, &out, &errs); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs.String())
		}
		var training map[string]any
		measured := false
		for _, line := range strings.Split(strings.TrimSpace(errs.String()), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			switch m["msg"] {
			case "training":
				training = m
			case "initialised":
				measured = m["took"] != nil && m["init"] == c.init
			}
		}
		if training == nil || training["init"] != c.init || (training["gain"] != nil) != c.gain {
			t.Errorf("%v: training line %v; want init %q and gain only for the uniform initialisation", c.args, training, c.init)
		}
		if measured != c.measured {
			t.Errorf("%v: a line saying how long the initialisation took: %v, want %v\n%s", c.args, measured, c.measured, errs.String())
		}
	}
}

package paper

import (
	"fmt"
	"strings"

	"github.com/spikegrad/spikegrad/sweep"
)

// Scale is the size of a reproduction.
type Scale string

// The scales of a reproduction.
const (
	// Quick runs every panel on a tiny grid with few epochs: minutes on
	// two cores, for trying the pipeline out.
	Quick Scale = "quick"
	// Local runs randman at the paper's protocol and MNIST at a reduced
	// one: hours on two cores, resumable.
	Local Scale = "local"
	// Full is the paper's protocol on all five data sets, for a cluster.
	Full Scale = "paper"
	// Test is Quick with one epoch on tiny data sets, for the tests.
	Test Scale = "test"
)

// Scales lists the scales in order of size.
var Scales = []Scale{Test, Quick, Local, Full}

// ParseScale reads a scale's name.
func ParseScale(name string) (Scale, error) {
	for _, s := range Scales {
		if string(s) == name {
			return s, nil
		}
	}
	names := make([]string, len(Scales))
	for i, s := range Scales {
		names[i] = string(s)
	}
	return "", fmt.Errorf("scale: unknown scale %q, want one of %s", name, strings.Join(names, ", "))
}

// Preset returns the name of the built-in sweep file of the scale.
func (s Scale) Preset() string {
	switch s {
	case Local:
		return "paper-local"
	case Full:
		return "paper-full"
	}
	return "paper-quick"
}

// Overrides are the settings the scale applies to every run on top of
// its preset: the Test scale shrinks the data sets and trains one epoch.
func (s Scale) Overrides() []sweep.Assignment {
	if s != Test {
		return nil
	}
	return []sweep.Assignment{
		{Key: "epochs", Value: "1"}, {Key: "batch", Value: "20"}, {Key: "limit", Value: "60"},
		{Key: "randman-samples", Value: "30"}, {Key: "randman-train", Value: "20"}, {Key: "randman-validation", Value: "5"},
		{Key: "init-samples", Value: "20"},
	}
}

// PaperProtocol reports whether the scale runs the paper's protocol, whose
// verdicts decide whether a finding reproduces. The small scales train for
// a few epochs on tiny grids.
func (s Scale) PaperProtocol() bool { return s == Local || s == Full }

package report_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// engine matches the packages of the training engine — Gorgonia and the
// packages built on it — and the data sets' loaders and registry: the
// packages below datasets (its internal helpers aside), and catalog.
var engine = regexp.MustCompile(`^gorgonia\.org/|^github\.com/spikegrad/spikegrad/(train|graph|ops|models|runner|catalog|datasets/(randman|mnist|shd|audio|synthetic|download))($|/)`)

// Report reads run records and draws them; it must not link the engine
// nor a data loader, through run or anything else.
func TestLinksNoEngine(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if engine.MatchString(p) {
			t.Errorf("report links %s", p)
		}
	}
}

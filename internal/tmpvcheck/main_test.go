package tmpvcheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	_ "github.com/spikegrad/spikegrad/catalog"
)

// Reruns committed records of arithmetic version 1 made with two replicas
// under this build and compares their numbers.
func TestOld(t *testing.T) {
	for _, p := range filepath.SplitList(os.Getenv("RECORDS")) {
		rec, err := run.LoadRecord(p)
		if err != nil {
			t.Fatal(err)
		}
		s := rec.Settings
		s.Out, s.Name, s.Resume, s.NoCache = t.TempDir(), "x", "", true
		again, _, err := runner.Execute(context.Background(), &s, runner.Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		same, diff := again.SameNumbers(rec)
		t.Logf("%s: replicas? gomaxprocs %d: same %v %s", filepath.Base(filepath.Dir(p)), rec.Software.GOMAXPROCS, same, diff)
	}
}

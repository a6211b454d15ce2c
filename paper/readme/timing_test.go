package readme

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spikegrad/spikegrad/paper"
)

// TestTimingCountsOverlapOnce: two reproductions that ran side by side
// (one per group of panels) took the wall time of the longer, not the
// sum; a later session adds its own; the jobs are those that ran at once.
func TestTimingCountsOverlapOnce(t *testing.T) {
	out := t.TempDir()
	at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, time.UTC) }
	ss := []paper.Session{
		{Scale: paper.Local, Started: at(10, 0), Finished: at(12, 0), Seconds: 7200, Jobs: 1, Cores: 2, Trained: 50, Sweeps: []string{"fig3b"}},
		{Scale: paper.Local, Started: at(10, 30), Finished: at(11, 30), Seconds: 3600, Jobs: 1, Cores: 2, Trained: 3, Sweeps: []string{"fig6-mnist"}},
		{Scale: paper.Local, Started: at(14, 0), Finished: at(14, 30), Seconds: 1800, Jobs: 2, Cores: 2, Trained: 10},
	}
	b, _ := json.Marshal(ss)
	if err := os.WriteFile(filepath.Join(out, paper.TimingFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e := &errWriter{w: &buf}
	timing(e, &paper.Results{Out: out})
	got := buf.String()
	for _, want := range []string{"Wall time: 2.5 h in 3 session(s)", "63 runs trained", "up to 2 jobs at a time"} {
		if !strings.Contains(got, want) {
			t.Errorf("timing lacks %q:\n%s", want, got)
		}
	}
	// One session of one job.
	b, _ = json.Marshal(ss[:1])
	if err := os.WriteFile(filepath.Join(out, paper.TimingFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	timing(e, &paper.Results{Out: out})
	if got := buf.String(); !strings.Contains(got, "up to 1 job at a time") {
		t.Errorf("one session of one job:\n%s", got)
	}
}

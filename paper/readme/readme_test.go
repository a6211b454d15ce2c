package readme

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/findings"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
)

// TestWrite: the figures, findings.csv and a README that links the
// figures, sets the findings beside the paper's and lists the runs.
func TestWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: writes a whole reproduction report: 14 s")
	}
	r := papertest.Results(t, paper.Quick, papertest.PaperLike)
	// An earlier report's list of checkpoints: no figure is drawn from a
	// checkpoint here (the fake runs have none), so it must go.
	stale := filepath.Join(r.Out, FiguresDir, KeepFile)
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("runs/x/best.npz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Write(context.Background(), r, Options{Command: "go run ./cmd/reproduce --scale quick"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("an earlier report's %s is left: %v", KeepFile, err)
	}
	for _, name := range []string{filepath.Join(FiguresDir, "fig3c_bars.png"), RowsFile, ReadmeFile} {
		if !strings.Contains(strings.Join(rep.Files, "\n"), filepath.Join(r.Out, name)) {
			t.Errorf("%s not among the files written: %v", name, rep.Files)
		}
	}
	fh, err := os.Open(filepath.Join(r.Out, RowsFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(fh).ReadAll()
	fh.Close()
	if err != nil || len(rows) != 1+len(rep.Rows) || strings.Join(rows[0], ",") != "panel,finding,paper,ours,verdict,figure,section" {
		t.Errorf("%s: %d rows for %d findings, %v", RowsFile, len(rows), len(rep.Rows), err)
	}
	readme, _ := os.ReadFile(filepath.Join(r.Out, ReadmeFile))
	for _, want := range []string{"| [Fig. 3c](figures/fig3c_bars.png) |", "go run ./cmd/reproduce --scale quick", "![fig9_spikes.png](figures/fig9_spikes.png)",
		"| fig3b | randman | 18 | 18 |", "Status: 100 of 100 runs complete", "## Our own checks"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
}

// TestTallyCountsThePapersFindings: the summary counts the paper's
// findings only: our own checks and rows without a claim are left out,
// and a row not run is open.
func TestTallyCountsThePapersFindings(t *testing.T) {
	rows := []findings.Row{
		{Verdict: findings.Reproduced}, {Verdict: findings.Reproduced, Own: true}, {Verdict: "differs: x"},
		{Verdict: findings.CheckShows, Own: true}, {Verdict: findings.NotDrawn}, {Verdict: findings.Shown},
		{Verdict: "not run: not in this scale's preset"}, {Verdict: findings.Beyond, Own: true},
	}
	if rp, df, op := tally(rows); rp != 1 || df != 1 || op != 1 {
		t.Errorf("tally: %d reproduced, %d differ, %d open; want 1, 1, 1", rp, df, op)
	}
}

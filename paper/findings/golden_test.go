package findings

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestFindingsGolden: the table of findings made from the same records is
// the same, word for word (Fig. 7, whose row depends on the MNIST files
// being at hand, left out). Run with -update after an intended change and
// read the diff.
func TestFindingsGolden(t *testing.T) {
	r := fake(t, paper.Local, papertest.PaperLike)
	rep, err := Draw(context.Background(), r.Results, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, row := range rep.Rows {
		if row.Panel == "Fig. 7" {
			continue
		}
		b.WriteString(strings.Join([]string{row.Panel, row.Finding, row.Paper, row.Ours, row.Verdict, row.Figure}, "\n  ") + "\n")
	}
	golden := filepath.Join("testdata", "findings-local.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./paper/findings -run Golden -update)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("findings differ from %s at line %d:\n got  %s\n want %s", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("findings differ from %s in length: %d lines, want %d", golden, len(gl), len(wl))
	}
}

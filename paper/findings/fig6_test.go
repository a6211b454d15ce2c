package findings

import (
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
	"github.com/spikegrad/spikegrad/run"
)

// TestFig6bIsThePapersNetwork (issue 28, point 6): Fig. 6b's MNIST number
// and verdict come from fig6-mnist-paper, the paper's network; fig6-mnist,
// the network found by single runs, is a row of our own beyond the paper
// that says how it was found. Here the paper's network falls short of the
// paper's band and ours reaches it: the verdict must differ, and the
// number quoted must be the paper network's.
func TestFig6bIsThePapersNetwork(t *testing.T) {
	r := fake(t, paper.Local, func(sw string, s *run.Settings) papertest.Outcome {
		o := papertest.PaperLike(sw, s)
		if sw == mnistPaper {
			o.Test -= 0.03 // 95.x %
			o.Val = o.Test + 0.001
		}
		return o
	})
	rows, err := r.fig6(&figures{dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var fig6b, beyond *Row
	for i, row := range rows {
		switch {
		case row.Panel == "Fig. 6b":
			fig6b = &rows[i]
		case row.Panel == "Beyond" && strings.Contains(row.Finding, "MNIST"):
			beyond = &rows[i]
		}
	}
	if fig6b == nil || beyond == nil {
		t.Fatalf("rows: want Fig. 6b and the MNIST row beyond the paper, got %+v", rows)
	}
	paperBest := BestOnValidation(r.Runs[mnistPaper])
	if want := "single run best on validation: " + pct(paperBest.Test()); !strings.Contains(fig6b.Ours, want) {
		t.Errorf("Fig. 6b quotes %q, want the paper network's best run (%s)", fig6b.Ours, want)
	}
	if !strings.HasPrefix(fig6b.Verdict, "differs") {
		t.Errorf("Fig. 6b at 95 %%: verdict %q", fig6b.Verdict)
	}
	oursBest := BestOnValidation(r.Runs[mnistBeyond])
	if !beyond.Own || beyond.Verdict != Beyond || !strings.Contains(beyond.Ours, "single run best on validation: "+pct(oursBest.Test())) {
		t.Errorf("the MNIST row beyond the paper: own %v, verdict %q, ours %q", beyond.Own, beyond.Verdict, beyond.Ours)
	}
	if !strings.Contains(beyond.Ours, "test accuracies of single runs") || !strings.Contains(beyond.Ours, "validation only") {
		t.Errorf("the MNIST row beyond the paper does not say how the network was found: %q", beyond.Ours)
	}
	// The bars of Fig. 6 show the paper's network.
	_, keys, values := r.fig6Data()
	for i, k := range keys {
		if k == "mnist" && values[i][0].N != len(r.Where(mnistPaper, "readout", "max", "recurrent", "false")) {
			t.Errorf("Fig. 6's MNIST bars are not of %s: %+v", mnistPaper, values[i][0])
		}
	}
}

// TestFig6bAtTheQuickScale: the quick scale has no fig6-mnist-paper; its
// fig6-mnist trains the paper's network (the defaults: 100 hidden,
// τ_mem 10 ms, τ_syn 5 ms, no regulariser) and is Fig. 6b's, with no row
// beyond the paper.
func TestFig6bAtTheQuickScale(t *testing.T) {
	r := fake(t, paper.Quick, papertest.PaperLike)
	if r.Plan.Batch(mnistPaper) != nil {
		t.Fatalf("the quick plan has %s: this test no longer tests the fallback", mnistPaper)
	}
	for _, j := range r.Plan.Batch(mnistBeyond).Jobs {
		s := j.Settings
		if len(s.Hidden) != 1 || s.Hidden[0] != 100 || s.TauMem != 10 || s.TauSyn != 5 || s.RegUpperStrength != 0 {
			t.Fatalf("quick %s is not the paper's network: hidden %v, τ %g/%g, upper bound %g", mnistBeyond, s.Hidden, s.TauMem, s.TauSyn, s.RegUpperStrength)
		}
	}
	rows, err := r.fig6(&figures{dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, row := range rows {
		if row.Panel == "Beyond" {
			t.Errorf("a row beyond the paper at the quick scale: %+v", row)
		}
		found = found || (row.Panel == "Fig. 6b" && strings.Contains(row.Ours, "single run best on validation"))
	}
	if !found {
		t.Errorf("no Fig. 6b row with a number: %+v", rows)
	}
}

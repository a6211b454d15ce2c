package findings

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/internal/papertest"
	"github.com/spikegrad/spikegrad/run"
)

// scrambled is PaperLike with the test split's accuracy and spike counts
// turned against the validation split's: the better a run on validation,
// the worse on test, and the sparser on validation, the busier on test.
// A selection that reads validation only picks the same runs in both
// worlds; one that reads test metrics anywhere picks others.
func scrambled(sw string, s *run.Settings) papertest.Outcome {
	o := apart(sw, s)
	o.Test = 1 - o.Val
	o.TestSpikes = 1000 / (1 + o.Spikes)
	return o
}

// apart is PaperLike with the cases of Fig. 6 and the initialisations
// set apart on validation, so that there is a best one to choose.
func apart(sw string, s *run.Settings) papertest.Outcome {
	o := papertest.PaperLike(sw, s)
	if s.Readout == "sum" {
		o.Val += 0.002
	}
	if s.Recurrent {
		o.Val += 0.001
	}
	o.Val += 0.0003 * s.Gain
	o.Test = o.Val - 0.001
	return o
}

// TestSelectionReadsValidationOnly: every choice the findings make among
// runs or configurations (top k, the best run, the best case of Fig. 6b,
// the best initialisation, the regularised network of Fig. 8, the
// reference of Fig. 3b's viable β) is the same whatever the test metrics.
func TestSelectionReadsValidationOnly(t *testing.T) {
	plain, mixed := fake(t, paper.Local, apart), fake(t, paper.Local, scrambled)
	paths := func(r results, sw string) []string {
		var out []string
		for _, rn := range TopRuns(r.Runs[sw], 5) {
			out = append(out, rn.Path[len(r.Out):])
		}
		return out
	}
	for sw := range plain.Runs {
		if a, b := paths(plain, sw), paths(mixed, sw); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("%s: top runs %v with the test metrics turned, %v without", sw, b, a)
		}
	}
	// Fig. 8: the same two networks.
	f1, r1 := plain.fig8Runs()
	f2, r2 := mixed.fig8Runs()
	if f1 == nil || f2 == nil || r1 == nil || r2 == nil {
		t.Fatal("Fig. 8 runs missing")
	}
	if f1.Path[len(plain.Out):] != f2.Path[len(mixed.Out):] || r1.Path[len(plain.Out):] != r2.Path[len(mixed.Out):] {
		t.Errorf("Fig. 8 picks %s and %s with the test metrics turned, %s and %s without",
			f2.Path[len(mixed.Out):], r2.Path[len(mixed.Out):], f1.Path[len(plain.Out):], r1.Path[len(plain.Out):])
	}
	// The rows that name a choice: the best initialisation per depth, the
	// best case of Fig. 6b, and the single run it quotes, which must be
	// the run best on validation.
	rows := func(r results) map[string]Row {
		rep, err := Draw(context.Background(), r.Results, Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]Row{}
		for _, row := range rep.Rows {
			out[row.Panel+": "+row.Finding] = row
		}
		return out
	}
	rp, rm := rows(plain), rows(mixed)
	choice := regexp.MustCompile(`\(best[^:]*: [^)]*\)|best case[^(]*\([^)]*\)`)
	for k, row := range rp {
		a, b := choice.FindAllString(row.Ours, -1), choice.FindAllString(rm[k].Ours, -1)
		if strings.Join(a, ";") != strings.Join(b, ";") {
			t.Errorf("%s: chooses %v with the test metrics turned, %v without", k, b, a)
		}
	}
	// Fig. 6b and the MNIST row beyond the paper each quote the run best
	// on validation of their own sweep.
	var found int
	for _, row := range rm {
		if !strings.Contains(row.Ours, "single run best on validation") {
			continue
		}
		found++
		sw := mnistPaper
		if row.Own {
			sw = mnistBeyond
		}
		if want := "single run best on validation: " + pct(TopRuns(mixed.Runs[sw], 1)[0].Test()); !strings.Contains(row.Ours, want) {
			t.Errorf("%s: quotes a single run other than the best on validation of %s (want %q): %s", row.Panel, sw, want, row.Ours)
		}
	}
	if found != 2 {
		t.Errorf("%d rows quote MNIST's best single run, want 2 (Fig. 6b and beyond the paper)", found)
	}
	// Fig. 3b: the best accuracy quoted per shape is the test accuracy of
	// the β × η cell best on validation, not the best test accuracy over
	// the cells.
	_, bestMixed, _ := viableBetas(mixed.Runs["fig3b"])
	for _, sh := range []string{"superspike", "sigmoid", "esser"} {
		top := TopRuns(mixed.Where("fig3b", "surrogate", sh), 1)[0]
		if got := bestMixed[sh]; got != top.Test() {
			t.Errorf("Fig. 3b: %s's best is %.4f, want %.4f, the test accuracy of its run best on validation", sh, got, top.Test())
		}
	}
}

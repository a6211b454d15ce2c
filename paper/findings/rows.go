package findings

import (
	"fmt"
	"math"
	"strings"

	"github.com/spikegrad/spikegrad/report"
)

// Row is one line of the README's table: a finding of one panel, the
// paper's number or statement, ours, and whether they agree.
type Row struct {
	Panel   string // "Fig. 3c"
	Finding string // what the paper claims
	Paper   string // the paper's number, or its statement when the text gives none
	Ours    string // mean ± std (k of n runs), or the measure used
	Verdict string // Reproduced, "differs: …", "incomplete: …", …
	Figure  string // the figure's file, relative to the figures folder
	// Own marks a check of this project's, not a finding of the paper
	// (a diagnostic of why ours differ, a question beyond the paper):
	// reports list it apart and do not count it among the paper's.
	Own bool
}

// Verdicts that are not "differs: <reason>".
const (
	Reproduced = "reproduced"
	Shown      = "shown (no claim to test)"
	Beyond     = "beyond the paper: no claim to test"
	// CheckShows is the verdict of a check of ours whose outcome is the
	// one the check looks for.
	CheckShows = "shown by our check"
)

// verdict is Reproduced when ok, else "differs: " and the reason.
func verdict(ok bool, reason string, args ...any) string {
	if ok {
		return Reproduced
	}
	return "differs: " + fmt.Sprintf(reason, args...)
}

// checkVerdict is verdict for a check of ours: CheckShows when ok.
func checkVerdict(ok bool, reason string, args ...any) string {
	if ok {
		return CheckShows
	}
	return verdict(false, reason, args...)
}

// gate returns the verdict to use instead of a computed one when the
// sweeps are not complete or were left out, and "" when they are complete.
func (r results) gate(sweeps ...string) string {
	for _, s := range sweeps {
		if why := r.Absent(s); why != "" {
			return "not run: " + why
		}
	}
	done, planned := r.Done(sweeps...)
	if done < planned {
		return fmt.Sprintf("incomplete: %d of %d runs", done, planned)
	}
	return ""
}

// judge returns the gate's verdict if there is one, else v.
func (r results) judge(v string, sweeps ...string) string {
	if g := r.gate(sweeps...); g != "" {
		return g
	}
	return v
}

// pct formats a fraction as percent.
func pct(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", 100*x)
}

// pm formats a summary as "97.9 ± 0.4 % (top 5 of 35)".
func pm(s report.Summary) string {
	if s.N == 0 {
		return "no runs"
	}
	std := "–"
	if !math.IsNaN(s.TestStd) {
		std = fmt.Sprintf("%.1f", 100*s.TestStd)
	}
	return fmt.Sprintf("%.1f ± %s %% (top %d of %d)", 100*s.TestMean, std, s.K, s.N)
}

// below reports whether a lies at least margin below b; a mean that is
// NaN (no runs) is never below anything.
func below(a, b, margin float64) bool { return a <= b-margin }

// join lists parts with semicolons, skipping empty ones.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

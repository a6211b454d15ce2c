package paper

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// WriteOptions set what Write states in the README.
type WriteOptions struct {
	// Command is the command line that trains the scale, shown verbatim
	// as the way to make or resume the results.
	Command string
	// Data is the folder of the file-based data sets, for Fig. 7.
	Data string
}

// Report is what Write made.
type Report struct {
	Rows  []Row
	Files []string
	// Notes are the figures that could not be drawn, and why.
	Notes []string
	// Keep are the checkpoints the activity figures were drawn from; they
	// are small and worth committing with the records.
	Keep []string
}

// Write draws every figure into out/figures, with the data behind each as
// CSV, and writes the table of findings (findings.csv) and the README.
func Write(ctx context.Context, r *Results, o WriteOptions) (*Report, error) {
	f := &figures{dir: filepath.Join(r.Out, FiguresDir)}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return nil, err
	}
	rep := &Report{}
	steps := []func(*figures) ([]Row, error){r.fig2b, r.fig3a5a, r.fig3b, r.fig3c, r.fig3d, r.fig5, r.fig6,
		func(f *figures) ([]Row, error) { return r.fig7(ctx, f, o.Data) },
		func(f *figures) ([]Row, error) {
			rows, keep, err := r.fig8(ctx, f)
			rep.Keep = keep
			return rows, err
		},
		r.fig9, r.initPanel}
	for _, step := range steps {
		rows, err := step(f)
		if err != nil {
			return rep, err
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	if len(rep.Keep) > 0 {
		list := strings.Join(rel(r.Out, rep.Keep), "\n") + "\n"
		if err := atomicfile.WriteBytes(f.path(KeepFile), []byte(list)); err != nil {
			return rep, err
		}
		f.done(KeepFile)
	}
	rep.Files, rep.Notes = f.files, f.notes
	if err := writeRows(filepath.Join(r.Out, RowsFile), rep.Rows); err != nil {
		return rep, err
	}
	rep.Files = append(rep.Files, filepath.Join(r.Out, RowsFile))
	readme := filepath.Join(r.Out, ReadmeFile)
	err := atomicfile.Write(readme, func(w io.Writer) error { return r.readme(w, rep, o) })
	if err == nil {
		rep.Files = append(rep.Files, readme)
	}
	return rep, err
}

func writeRows(path string, rows []Row) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"panel", "finding", "paper", "ours", "verdict", "figure"})
		for _, r := range rows {
			cw.Write([]string{r.Panel, r.Finding, r.Paper, r.Ours, r.Verdict, r.Figure})
		}
		cw.Flush()
		return cw.Error()
	})
}

// cell escapes a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Verdict words that the README counts.
func tally(rows []Row) (rep, differs, open int) {
	for _, r := range rows {
		switch {
		case r.Verdict == Reproduced:
			rep++
		case strings.HasPrefix(r.Verdict, "differs"):
			differs++
		case r.Verdict != Shown && r.Verdict != Beyond:
			open++
		}
	}
	return
}

// fprintf writes to w, keeping the first error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

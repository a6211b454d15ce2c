package readme

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/findings"
)

// Files of a reproduction's write-up, in its output folder.
const (
	FiguresDir = "figures"      // PNGs and the CSV data behind them
	ReadmeFile = "README.md"    // the side-by-side table
	RowsFile   = "findings.csv" // the table of findings, machine-readable
	// KeepFile, in the figures folder, lists the checkpoints that figures
	// were drawn from, relative to the output folder: worth committing.
	KeepFile = "checkpoints.txt"
)

// Options set what Write states in the README.
type Options struct {
	// Command is the command line that trains the scale, shown verbatim
	// as the way to make or resume the results.
	Command string
	// Data is the folder of the file-based data sets, for Fig. 7.
	Data string
}

// Write draws every figure into out/figures, with the data behind each as
// CSV (package findings), and writes the table of findings (findings.csv)
// and the README. The report it returns lists every file written.
func Write(ctx context.Context, r *paper.Results, o Options) (*findings.Report, error) {
	dir := filepath.Join(r.Out, FiguresDir)
	rep, err := findings.Draw(ctx, r, findings.Options{Dir: dir, Data: o.Data})
	if err != nil {
		return rep, err
	}
	if len(rep.Keep) > 0 {
		list := strings.Join(rel(r.Out, rep.Keep), "\n") + "\n"
		if err := atomicfile.WriteBytes(filepath.Join(dir, KeepFile), []byte(list)); err != nil {
			return rep, err
		}
		rep.Files = append(rep.Files, filepath.Join(dir, KeepFile))
	} else if err := os.Remove(filepath.Join(dir, KeepFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// An earlier report's list would have commit-records.sh stage
		// checkpoints no figure was drawn from.
		return rep, err
	}
	if err := writeRows(filepath.Join(r.Out, RowsFile), rep.Rows); err != nil {
		return rep, err
	}
	rep.Files = append(rep.Files, filepath.Join(r.Out, RowsFile))
	readme := filepath.Join(r.Out, ReadmeFile)
	err = atomicfile.Write(readme, func(w io.Writer) error { return writeReadme(w, r, rep, o) })
	if err == nil {
		rep.Files = append(rep.Files, readme)
	}
	return rep, err
}

func writeRows(path string, rows []findings.Row) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"panel", "finding", "paper", "ours", "verdict", "figure", "section"})
		for _, r := range rows {
			section := "paper"
			if r.Own {
				section = "own check"
			}
			cw.Write([]string{r.Panel, r.Finding, r.Paper, r.Ours, r.Verdict, r.Figure, section})
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
func tally(rows []findings.Row) (rep, differs, open int) {
	for _, r := range rows {
		switch {
		case r.Own:
		case r.Verdict == findings.Reproduced:
			rep++
		case strings.HasPrefix(r.Verdict, "differs"):
			differs++
		case r.Verdict != findings.Shown && r.Verdict != findings.Beyond && r.Verdict != findings.NotDrawn:
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

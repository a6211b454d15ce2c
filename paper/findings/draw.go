package findings

import (
	"context"
	"os"

	"github.com/spikegrad/spikegrad/paper"
)

// Options say where Draw writes and what it reads besides the records.
type Options struct {
	Dir  string // the figures folder; created if missing
	Data string // the folder of the file-based data sets, for Fig. 7
}

// Report is what Draw made.
type Report struct {
	Rows  []Row
	Files []string // written, in order
	// Notes are the figures that could not be drawn, and why.
	Notes []string
	// Keep are the checkpoints the activity figures were drawn from; they
	// are small and worth committing with the records.
	Keep []string
}

// Draw draws every panel of the paper from the records of r into o.Dir,
// with the data behind each as CSV, and judges the paper's findings, one
// Row per finding, in the order of the paper's figures.
func Draw(ctx context.Context, r *paper.Results, o Options) (*Report, error) {
	f := &figures{dir: o.Dir}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return nil, err
	}
	rs := results{r}
	rep := &Report{}
	rows := func(fn func() []Row) func(*figures) ([]Row, error) {
		return func(*figures) ([]Row, error) { return fn(), nil }
	}
	steps := []func(*figures) ([]Row, error){rows(rs.fig1Rows), rows(rs.fig2aRows), rs.fig2b, rows(rs.fig2ceRows), rs.fig3a5a, rs.fig3b, rs.fig3c, rs.fig3d,
		rows(rs.fig4Rows), rs.fig5, rs.fig6,
		func(f *figures) ([]Row, error) { return rs.fig7(ctx, f, o.Data) },
		func(f *figures) ([]Row, error) {
			rows, keep, err := rs.fig8(ctx, f)
			rep.Keep = keep
			return rows, err
		},
		rs.fig9, rs.initPanel}
	for _, step := range steps {
		rows, err := step(f)
		if err != nil {
			return rep, err
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.Files, rep.Notes = f.files, f.notes
	return rep, nil
}

// results are the records the panels are drawn from.
type results struct{ *paper.Results }

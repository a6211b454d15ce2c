package readme

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/paper/findings"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// captions describe the figures in the README, in the order shown.
var captions = []struct{ file, caption string }{
	{"fig2b_learning_curves.png", "Fig. 2b: training loss per epoch on a two-class randman task with the true gradient (grey) and with SuperSpike (vermilion), one line per seed."},
	{"fig3a_surrogates.png", "Fig. 3a: the normalised surrogate derivatives h(x), x = U − 1, for β = 1 … 100."},
	{"fig5a_asymptotic.png", "Fig. 5a: asymptotic SuperSpike, whose peak β grows towards the true derivative."},
	{"fig3b_heatmap.png", "Fig. 3b: test accuracy of the run at each β × η, one hidden layer, per shape."},
	{"fig3b_uniform_bars.png", "Fig. 3b, why ours differ: the smallest and largest β of the check, best η on validation, with the fluctuation-driven initialisation of Fig. 3b and with the paper's uniform one."},
	{"fig3c_bars.png", "Fig. 3c: top-k test accuracy (mean ± std over the k best runs on validation of each grid; k is the paper's 5, at most half the grid's runs, and the table gives it) for no, one and two hidden layers, and β = 0; dashed: chance."},
	{"fig3d_whiskers.png", "Fig. 3d: test accuracy over five randman data sets (data seeds) and five initialisations (seeds), box and whiskers with every run beside it."},
	{"fig5b_learning_curves.png", "Fig. 5b: training accuracy of the five best runs of each case: reset detached (Ctl) or differentiable (DR), normalised (s) or asymptotic (a) SuperSpike."},
	{"fig5bc_bars.png", "Fig. 5c: top-k test accuracy of the four reset cases, one hidden layer (k is the paper's 10, at most half the runs; the table gives it)."},
	{"fig5d_bars.png", "Fig. 5d: top-k test accuracy of asymptotic SuperSpike, reset detached (grey) or differentiable (vermilion), one to three hidden layers."},
	{"fig5e_bars.png", "Fig. 5e: top-k test accuracy of recurrent networks, gradient through the recurrent connections detached (Ctl) or propagated (Prop)."},
	{"fig5f_bars.png", "Fig. 5f: top-k test accuracy of asymptotic SuperSpike in recurrent networks, recurrent gradient detached (grey) or propagated (vermilion), one to three hidden layers."},
	{"fig6_bars.png", "Fig. 6: Max and Sum readouts, feed-forward (FF) and recurrent (RC), per data set: top-k test accuracy."},
	{"fig7_inputs.png", "Fig. 7: input paradigms: an MNIST digit, its spike latencies, an SHD raster of two digits, a Mel spectrogram (titles say where synthetic stand-ins replaced absent files)."},
	{"fig8a_unregularised.png", "Fig. 8a: a trained randman network (one hidden layer; the paper shows SHD; its weights at the end of training) without activity regularisation on four test inputs: readout potentials, membrane traces, hidden and input rasters."},
	{"fig8b_regularised.png", "Fig. 8b: the same network trained with the upper activity bound: the sparsest run on validation at the end of training within 2 points of the unregularised one's validation accuracy."},
	{"fig8c_spike_counts.png", "Fig. 8c–d: distribution of the spike count of each hidden neuron in each test trial, without and with the bound, weights at the end of training (log scale)."},
	{"fig9_spikes.png", "Fig. 9: accuracy against hidden spikes per input of the networks as trained (the weights at the end of training, both measured on the test split, or on the validation split where a record predates final_test; the axis says which), one point per run (regularised and not), sigmoid fits in ln(spikes) with the transition dashed; rows of panels: data sets, feed-forward and recurrent."},
	{"init_bars.png", "Beyond the paper: uniform initialisation at gain 5 and 10 against the fluctuation-driven one, top k over the η grid (the paper's 5, at most half the runs; the table gives k), one to three hidden layers."},
}

// writeReadme writes the README of r: the findings of rep beside the
// paper's, the figures, the runs and how they were made.
func writeReadme(w io.Writer, r *paper.Results, rep *findings.Report, o Options) error {
	e := &errWriter{w: w}
	p := r.Plan
	done, planned := 0, 0
	for _, b := range p.Batches {
		if b.Absent == "" {
			d, n := r.Done(b.Sweep)
			done, planned = done+d, planned+n
		}
	}
	e.printf("# Zenke & Vogels (2021), reproduced: the %s scale\n\n", p.Scale)
	e.printf("Every figure of *The remarkable robustness of surrogate gradient learning for instilling complex function in spiking neural networks* "+
		"(Neural Computation 33:899, 2021) re-run with spikegrad at the `%s` scale (preset `%s`, in `sweep/presets/%s.yaml`). "+
		"Per configuration, the k runs best on validation are kept and their test accuracy is given as mean ± sample std (\"top k of n\"), "+
		"the paper's protocol, with the paper's k (5 or 10) but at most half of a configuration's runs, so that the selection leaves runs out.\n\n", p.Scale, p.Preset, p.Preset)
	if !p.Scale.PaperProtocol() {
		e.printf("**At this scale the networks train for a few epochs on tiny grids: the verdicts say what these runs show, " +
			"not whether the paper reproduces; the `local` and `paper` scales decide that.**\n\n")
	}
	e.printf("**Status: %d of %d runs complete.**", done, planned)
	if done < planned {
		e.printf(" Verdicts of panels with missing runs read \"incomplete\"; their numbers are from the runs done so far.")
	}
	e.printf("\n\n")
	timing(e, r)
	e.printf("Made and resumed with (runs already complete are skipped; a run stopped mid-way continues from its `last.npz`):\n\n```sh\n%s\n```\n\n", o.Command)
	e.printf("The report alone, from the records: the same command with `--report-only`. " +
		"`bash docs/results/paper/commit-records.sh <folder>` stages the completed runs' records, the report and the checkpoints of Fig. 8 for a commit.\n\n")

	rp, df, op := tally(rep.Rows)
	e.printf("## The paper beside ours\n\nEvery panel and finding of the paper, one row each: %d reproduced, %d differ, %d open (incomplete or not run, each with why). "+
		"Rows without a claim to test (illustrations, schematics) are not counted; nor are our own checks, listed apart below.\n\n", rp, df, op)
	table := func(own bool) {
		e.printf("| panel | finding | paper | ours | verdict |\n|---|---|---|---|---|\n")
		for _, row := range rep.Rows {
			if row.Own != own {
				continue
			}
			fig := row.Panel
			if row.Figure != "" {
				fig = fmt.Sprintf("[%s](%s/%s)", row.Panel, FiguresDir, row.Figure)
			}
			e.printf("| %s | %s | %s | %s | %s |\n", fig, cell(row.Finding), cell(row.Paper), cell(row.Ours), cell(row.Verdict))
		}
	}
	table(false)
	e.printf("\n## Our own checks\n\nNot findings of the paper: checks made to find why ours differ, and a question the paper leaves open. " +
		"They are not counted above.\n\n")
	table(true)
	e.printf("\nThe table as CSV: [%s](%s). SHD, RawHD and RawSC numbers mean something only on the real files (`--data`); "+
		"the tests run their sweeps on synthetic stand-ins in the published layouts, which say nothing about the paper.\n\n", RowsFile, RowsFile)

	e.printf("## Figures\n\nEach figure's data are in the CSV file of the same name in [%s](%s/).\n\n", FiguresDir, FiguresDir)
	drawn := map[string]bool{}
	for _, f := range rep.Files {
		drawn[filepath.Base(f)] = true
	}
	for _, c := range captions {
		if drawn[c.file] {
			e.printf("![%s](%s/%s)\n\n%s\n\n", c.file, FiguresDir, c.file, c.caption)
		}
	}
	if len(rep.Notes) > 0 {
		e.printf("Not drawn:\n\n")
		for _, n := range rep.Notes {
			e.printf("- %s\n", cell(n))
		}
		e.printf("\n")
	}
	if len(rep.Keep) > 0 {
		e.printf("Fig. 8 is drawn from the checkpoints %s (committed with the records; every other checkpoint is left out).\n\n",
			"`"+strings.Join(rel(r.Out, rep.Keep), "`, `")+"`")
	}

	e.printf("## Runs\n\nOne folder per sweep under [%s](%s/), one per run below it with `record.json` and `settings.yaml`.\n\n", paper.RunsDir, paper.RunsDir)
	e.printf("| sweep | data set | runs | complete | note |\n|---|---|---:|---:|---|\n")
	for _, b := range p.Batches {
		d, n := r.Done(b.Sweep)
		note := b.Absent
		if note == "" && d < n {
			note = fmt.Sprintf("%d to do", n-d)
		}
		if o := r.Older[b.Sweep]; o > 0 {
			note = strings.TrimPrefix(note+fmt.Sprintf("; %d made by an earlier version of the arithmetic", o), "; ")
		}
		e.printf("| %s | %s | %d | %d | %s |\n", b.Sweep, b.Dataset, n, d, cell(note))
	}
	e.printf("| **all** | | **%d** | **%d** | |\n\n", planned, done)
	if len(r.Unreadable) > 0 {
		e.printf("Unreadable records: %d (%v).\n\n", len(r.Unreadable), r.Unreadable[0])
	}
	older := 0
	for _, o := range r.Older {
		older += o
	}
	if older > 0 {
		e.printf("%d of the runs were trained by an earlier version of the arithmetic than this build's (version %d: the order of "+
			"its sums, how a batch is split): their records stand, but retraining them gives other numbers and `--verify` refuses them. "+
			"`cmd/reproduce` trains them again at this version, next to the old folders.\n\n", older, run.Numerics)
	}

	e.printf("## Settings chosen where the paper's text is silent\n\nThe paper's Table 1 is not in the text we have; these are our choices, " +
		"kept in the preset where anyone can change them:\n\n")
	doc, _, err := sweep.Preset(p.Preset)
	if err == nil {
		e.printf("```\n%s```\n\n", header(string(doc)))
	}
	return e.err
}

// timing states the wall time of the sessions that trained the runs.
func timing(e *errWriter, r *paper.Results) {
	ss, err := paper.Sessions(r.Out)
	var train float64
	for _, runs := range r.Runs {
		for _, run := range runs {
			train += run.Record.WallSeconds
		}
	}
	if err != nil || len(ss) == 0 {
		e.printf("Training time summed over runs: %s.\n\n", human(train))
		return
	}
	var cpu float64
	trained := 0
	for _, s := range ss {
		cpu += s.CPUSeconds
		trained += s.Trained
	}
	wall, jobs := overlap(ss)
	last := ss[len(ss)-1]
	e.printf("Wall time: %s in %d session(s) (%d runs trained, up to %s at a time on %d cores, machine shared with other work; sessions that ran side by side, shards included, count once); "+
		"training time summed over runs: %s. Last session: %s to %s.\n\n",
		human(wall), len(ss), trained, plural(jobs, "job"), last.Cores, human(train),
		last.Started.UTC().Format(time.DateTime), last.Finished.UTC().Format("15:04 UTC"))
	if cpu > 0 {
		e.printf("Processor time of the sessions that measured it: %s, that is about %s of wall time on %d otherwise idle cores.\n\n",
			human(cpu), human(cpu/float64(last.Cores)), last.Cores)
	}
}

// overlap returns the time during which at least one session ran, in
// seconds, and the most jobs that ran at once: sessions side by side
// share their wall time.
func overlap(ss []paper.Session) (seconds float64, jobs int) {
	type edge struct {
		at    time.Time
		jobs  int
		start bool
	}
	var edges []edge
	for _, s := range ss {
		end := s.Started.Add(time.Duration(s.Seconds * float64(time.Second)))
		edges = append(edges, edge{s.Started, s.Jobs, true}, edge{end, -s.Jobs, false})
	}
	// Ends before starts at the same instant: sessions that merely touch
	// do not run at once.
	sort.SliceStable(edges, func(i, j int) bool {
		if !edges[i].at.Equal(edges[j].at) {
			return edges[i].at.Before(edges[j].at)
		}
		return !edges[i].start && edges[j].start
	})
	running, open := 0, 0
	var since time.Time
	for _, e := range edges {
		if open == 0 {
			since = e.at
		}
		running += e.jobs
		if e.start {
			open++
		} else {
			open--
		}
		jobs = max(jobs, running)
		if open == 0 {
			seconds += e.at.Sub(since).Seconds()
		}
	}
	return seconds, jobs
}

func human(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f min", d.Minutes())
}

// header returns the leading comment block of a preset, without the "#".
func header(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		b.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "#"), " ") + "\n")
	}
	return b.String()
}

// rel returns paths relative to dir.
func rel(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if r, err := filepath.Rel(dir, p); err == nil {
			out[i] = r
		} else {
			out[i] = p
		}
	}
	return out
}

// plural is "1 job", "2 jobs".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

package paper

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/sweep"
)

// fileDataSets are the data sets read from files, each from its own folder
// under Options.Data, named as the data set.
var fileDataSets = map[string]bool{"shd": true, "rawhd": true, "rawsc": true}

// Options choose what NewPlan plans.
type Options struct {
	Scale Scale
	// Data is the folder holding the file-based data sets as shd/, rawhd/
	// and rawsc/ (the folders cmd/download fills); sweeps of a data set
	// whose folder is absent are left out. Empty: all of them are.
	Data string
	// Set are settings applied to every run after the scale's, as
	// cmd/sweep's --set.
	Set []sweep.Assignment
	// Shard and Shards keep one shard of the runs, as cmd/sweep's --shard
	// i/n; Shards = 0 keeps all runs.
	Shard, Shards int
	// Sweeps, when not empty, keeps the runs of these sweeps only (the
	// other batches stay in the plan with no jobs), so that one panel can
	// be run, or two workers that share an output folder can each take
	// a group of panels.
	Sweeps []string
}

// Batch is the runs of one sweep of the preset: they go to runs/<Sweep>/.
type Batch struct {
	Sweep   string
	Dataset string
	Jobs    []sweep.Job
	// Absent, when not empty, says why the sweep is not run: its data
	// set's files are not there. Jobs still lists its runs.
	Absent string
}

// Plan is the runs of a reproduction, sweep by sweep in the preset's order.
type Plan struct {
	Scale   Scale
	Preset  string
	Batches []Batch
	// Only are the sweeps the plan was limited to (Options.Sweeps).
	Only []string
}

// Runs counts the runs to do: those of the batches not left out.
func (p *Plan) Runs() int {
	n := 0
	for _, b := range p.Batches {
		if b.Absent == "" {
			n += len(b.Jobs)
		}
	}
	return n
}

// Batch returns the batch of a sweep, or nil.
func (p *Plan) Batch(name string) *Batch {
	for i := range p.Batches {
		if p.Batches[i].Sweep == name {
			return &p.Batches[i]
		}
	}
	return nil
}

// NewPlan expands the scale's preset into its runs.
func NewPlan(o Options) (*Plan, error) {
	preset := o.Scale.Preset()
	_, sweeps, err := sweep.Preset(preset)
	if err != nil {
		return nil, err
	}
	p := &Plan{Scale: o.Scale, Preset: preset}
	extra := append(o.Scale.Overrides(), o.Set...)
	seen := map[string]bool{}
	for _, sw := range sweeps {
		if seen[sw.Name] || sw.Name == "" {
			return nil, fmt.Errorf("preset %s: sweep names must be unique and set (they name the folders), got %q", preset, sw.Name)
		}
		seen[sw.Name] = true
		sw.Base = append(append([]sweep.Assignment(nil), sw.Base...), extra...)
		jobs, err := sweep.Jobs(run.DefaultSettings("randman"), []sweep.Sweep{sw})
		if err != nil {
			return nil, fmt.Errorf("preset %s: %w", preset, err)
		}
		b := Batch{Sweep: sw.Name, Jobs: jobs}
		if len(jobs) > 0 {
			b.Dataset = jobs[0].Settings.Dataset
		}
		if fileDataSets[b.Dataset] {
			dir := filepath.Join(o.Data, b.Dataset)
			switch st, err := os.Stat(dir); {
			case o.Data == "":
				b.Absent = fmt.Sprintf("%s needs its files: no data folder given (--data)", b.Dataset)
			case err != nil || !st.IsDir():
				b.Absent = fmt.Sprintf("%s needs its files: no folder %s", b.Dataset, dir)
			}
			for i := range b.Jobs {
				b.Jobs[i].Settings.DataDir = dir
			}
		}
		p.Batches = append(p.Batches, b)
	}
	if len(o.Sweeps) > 0 {
		if err := p.keep(o.Sweeps); err != nil {
			return nil, err
		}
	}
	if o.Shards > 0 {
		if err := p.shard(o.Shard, o.Shards); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// shard keeps shard i of n of the runs to do, with sweep.Shard over all of
// them in order, so that the shards of one plan are disjoint and together
// hold every run.
// keep empties every batch whose sweep is not named.
func (p *Plan) keep(names []string) error {
	want := map[string]bool{}
	for _, n := range names {
		if p.Batch(n) == nil {
			return fmt.Errorf("sweeps: unknown sweep %q, want one of %s", n, strings.Join(p.Sweeps(), ", "))
		}
		want[n] = true
	}
	for i := range p.Batches {
		if !want[p.Batches[i].Sweep] {
			p.Batches[i].Jobs = nil
		}
	}
	p.Only = names
	return nil
}

func (p *Plan) shard(i, n int) error {
	type where struct{ batch, job int }
	var flat []sweep.Job
	var pos []where
	for bi, b := range p.Batches {
		if b.Absent != "" {
			continue
		}
		for ji, j := range b.Jobs {
			j.Name = b.Sweep + "/" + j.Name // unique across sweeps
			flat = append(flat, j)
			pos = append(pos, where{bi, ji})
		}
	}
	index := map[string]where{}
	for k, j := range flat {
		index[j.Name] = pos[k]
	}
	part, err := sweep.Shard(flat, i, n)
	if err != nil {
		return err
	}
	keep := map[where]bool{}
	for _, j := range part {
		keep[index[j.Name]] = true
	}
	for bi := range p.Batches {
		b := &p.Batches[bi]
		if b.Absent != "" {
			continue
		}
		var jobs []sweep.Job
		for ji, j := range b.Jobs {
			if keep[where{bi, ji}] {
				jobs = append(jobs, j)
			}
		}
		b.Jobs = jobs
	}
	return nil
}

// Counts returns the number of runs of every sweep, by name, for the
// README and the tests.
func (p *Plan) Counts() map[string]int {
	m := map[string]int{}
	for _, b := range p.Batches {
		m[b.Sweep] = len(b.Jobs)
	}
	return m
}

// Sweeps lists the sweep names in order.
func (p *Plan) Sweeps() []string {
	var out []string
	for _, b := range p.Batches {
		out = append(out, b.Sweep)
	}
	return out
}

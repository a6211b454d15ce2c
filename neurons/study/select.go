package study

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/spikegrad/spikegrad/baseline"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/report"
)

// Cell is one model on one data set: the runs of the step size selected
// on validation and their statistics over the seeds.
type Cell struct {
	Dataset, Neuron string
	LR              string       // the selected step size, as flag text
	Runs            []report.Run // the selected step size's runs, by seed
	// Validation, Test and Spikes (hidden spikes per test input) are over
	// the seeds of Runs; accuracies are fractions.
	Validation, Test, Spikes baseline.Stats
	Options                  []Option // every step size, in numeric order
}

// Option is one step size of a cell and its mean validation accuracy.
type Option struct {
	LR         string
	Validation baseline.Stats
}

// Seeds is the number of runs of the cell's least complete step size: the
// number of seeds its choice rests on.
func (c Cell) Seeds() int {
	n := 0
	for i, o := range c.Options {
		if i == 0 || o.Validation.N < n {
			n = o.Validation.N
		}
	}
	return n
}

// Edge says whether the selected step size is the "smallest" or the
// "largest" of several, or "" if it lies inside its grid or had no rival:
// a choice on the edge says the best step size may lie beyond the grid.
func (c Cell) Edge() string {
	switch {
	case len(c.Options) < 2:
		return ""
	case c.LR == c.Options[0].LR:
		return "smallest"
	case c.LR == c.Options[len(c.Options)-1].LR:
		return "largest"
	}
	return ""
}

// Select groups runs by data set and neuron model and selects each
// group's step size. Cells come in data set order (alphabetical unless
// datasets lists them) and, within one, the default neuron first, then
// alphabetically.
func Select(runs []report.Run, datasets []string) ([]Cell, error) {
	type key struct{ dataset, neuron, lr string }
	byKey := map[key][]report.Run{}
	for _, r := range runs {
		var k key
		for _, f := range []struct {
			name string
			dst  *string
		}{{"dataset", &k.dataset}, {"neuron", &k.neuron}, {"lr", &k.lr}} {
			v, err := r.Setting(f.name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.Path, err)
			}
			*f.dst = v
		}
		if k.neuron == "" {
			k.neuron = network.DefaultNeuron
		}
		byKey[k] = append(byKey[k], r)
	}
	cells := map[[2]string]*Cell{}
	for k, rs := range byKey {
		slices.SortFunc(rs, func(a, b report.Run) int { return cmp.Compare(a.Record.Settings.Seed, b.Record.Settings.Seed) })
		c := cells[[2]string{k.dataset, k.neuron}]
		if c == nil {
			c = &Cell{Dataset: k.dataset, Neuron: k.neuron}
			cells[[2]string{k.dataset, k.neuron}] = c
		}
		var val []float64
		for _, r := range rs {
			val = append(val, r.Validation())
		}
		c.Options = append(c.Options, Option{LR: k.lr, Validation: baseline.StatsOf(val)})
	}
	var out []Cell
	for _, c := range cells {
		slices.SortFunc(c.Options, func(a, b Option) int { return cmp.Compare(number(a.LR), number(b.LR)) })
		best := 0
		for i, o := range c.Options {
			if o.Validation.Mean > c.Options[best].Validation.Mean {
				best = i
			}
		}
		c.LR = c.Options[best].LR
		c.Runs = byKey[key{c.Dataset, c.Neuron, c.LR}]
		var val, test, spikes []float64
		for _, r := range c.Runs {
			val, test, spikes = append(val, r.Validation()), append(test, r.Test()), append(spikes, r.Spikes())
		}
		c.Validation, c.Test, c.Spikes = baseline.StatsOf(val), baseline.StatsOf(test), baseline.StatsOf(spikes)
		out = append(out, *c)
	}
	rank := func(d string) int {
		if i := slices.Index(datasets, d); i >= 0 {
			return i
		}
		return len(datasets)
	}
	slices.SortFunc(out, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(rank(a.Dataset), rank(b.Dataset)), cmp.Compare(a.Dataset, b.Dataset),
			cmp.Compare(notDefault(a.Neuron), notDefault(b.Neuron)), cmp.Compare(a.Neuron, b.Neuron))
	})
	return out, nil
}

// number is a step size's value for ordering; text that is no number
// sorts first.
func number(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1
	}
	return v
}

// notDefault is 0 for the default neuron, which comes first, and 1 else.
func notDefault(neuron string) int {
	if neuron == network.DefaultNeuron {
		return 0
	}
	return 1
}

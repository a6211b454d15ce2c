package study

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/spikegrad/spikegrad/network"
)

// summary writes what the study shows, data set by data set: every model
// against the LIF, and the best model against the perceptron, each as a
// Welch difference of test accuracy with its verdict; then how many data
// sets meet the comparison's goal (each model at or above the LIF, the
// best at or above the perceptron). A data set with no runs (only a
// perceptron), a model not run, no
// perceptron, a model short of a step size another has, or a step size
// with fewer seeds than the most complete cell's is incomplete, not an
// outcome.
func (p Page) summary(md *bytes.Buffer) {
	var models []string
	for _, n := range p.neurons() {
		if n != network.DefaultNeuron {
			models = append(models, n)
		}
	}
	md.WriteString("## What it shows\n\n")
	md.WriteString("Differences of test accuracy, percentage points with Welch's 95 % interval: above or below when the interval excludes zero, else level.\n\n")
	md.WriteString("| data set |")
	for _, m := range models {
		fmt.Fprintf(md, " %s − LIF |", m)
	}
	md.WriteString(" best model (test) | best − MLP | goal |\n|---|")
	md.WriteString(strings.Repeat("---:|", len(models)) + "---|---:|---|\n")
	seeds := 0 // the seeds of the most complete cell: what every cell should have
	for _, c := range p.Cells {
		seeds = max(seeds, c.Seeds())
	}
	met, judged := 0, 0
	for _, d := range p.yardstickDatasets() {
		fmt.Fprintf(md, "| %s |", d)
		if !slices.Contains(p.datasets(), d) { // a perceptron, no study runs yet
			md.WriteString(strings.Repeat(" not run |", len(models)) + " not run | | incomplete |\n")
			continue
		}
		ok, complete := true, true
		grid := map[string]bool{} // every step size any model of d has
		for _, c := range p.Cells {
			for _, o := range c.Options {
				if c.Dataset == d {
					grid[o.LR] = true
				}
			}
		}
		var best *Cell
		for i := range p.Cells {
			c := &p.Cells[i]
			if c.Dataset != d {
				continue
			}
			if c.Seeds() < max(seeds, 2) || len(c.Options) < len(grid) {
				complete = false
			}
			if best == nil || c.Test.Mean > best.Test.Mean {
				best = c
			}
		}
		ref, hasRef := p.reference(*best)
		for _, m := range models {
			c, found := p.cell(d, m)
			switch {
			case !found || !hasRef:
				md.WriteString(" not run |")
				complete = false
			default:
				w := Welch(c.Test, ref.Test)
				fmt.Fprintf(md, " %s |", diff(w))
				ok = ok && atOrAbove(w)
			}
		}
		fmt.Fprintf(md, " %s (%s) |", best.Neuron, pm(best.Test))
		if m, found := p.mlp(d); found {
			w := Welch(best.Test, m)
			fmt.Fprintf(md, " %s |", diff(w))
			ok = ok && atOrAbove(w)
		} else {
			md.WriteString(" no perceptron |")
			complete = false
		}
		switch {
		case !complete:
			md.WriteString(" incomplete |\n")
		case ok:
			md.WriteString(" met |\n")
			met++
			judged++
		default:
			md.WriteString(" not met |\n")
			judged++
		}
	}
	fmt.Fprintf(md, "\nThe goal (every model at or above the LIF, that is above or level, and the best model at or above the perceptron) is met on %d of %d data sets with complete cells", met, judged)
	if n := len(p.yardstickDatasets()) - judged; n > 0 {
		fmt.Fprintf(md, "; %d incomplete", n)
	}
	md.WriteString(".\n\n")
}

// cell returns the cell of a model on a data set.
func (p Page) cell(dataset, neuron string) (Cell, bool) {
	for _, c := range p.Cells {
		if c.Dataset == dataset && c.Neuron == neuron {
			return c, true
		}
	}
	return Cell{}, false
}

// atOrAbove is a difference whose interval does not lie below zero.
func atOrAbove(d Difference) bool {
	v := d.Verdict()
	return v == "above" || v == "level"
}

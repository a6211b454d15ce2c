package report

import (
	"errors"
	"fmt"

	"github.com/spikegrad/spikegrad/report/chart"
)

// SpikeFit is the sigmoid fitted to the accuracy of one group's runs
// against their hidden spikes per input.
type SpikeFit struct {
	Label  string // of the group
	Points int    // runs in the fit
	Silent int    // runs without hidden spikes, which a log axis cannot show
	Sigmoid
	RMSE float64 // root mean square residual, as a fraction
	Err  error   // why there is no fit, or nil
}

// SpikeGroup is the runs of one colour of a spike figure: their hidden
// spikes per test input and their test accuracy (a fraction).
type SpikeGroup struct {
	Label       string
	Spikes, Acc []float64
}

// SpikePanel is one panel of SpikeGrid: a data set and a connectivity,
// say.
type SpikePanel struct {
	Title  string
	YLabel string // of the accuracy axis; "test accuracy (%)" if empty
	Groups []SpikeGroup
}

// SpikeRuns returns the spikes and accuracies of runs for a SpikeGroup.
func SpikeRuns(label string, runs []Run) SpikeGroup {
	g := SpikeGroup{Label: label}
	for _, r := range runs {
		g.Spikes = append(g.Spikes, r.Spikes())
		g.Acc = append(g.Acc, r.Test())
	}
	return g
}

// FinalSpikeRuns is SpikeRuns for the weights at the end of training: each
// run's accuracy and hidden spikes per input of its final weights on
// split on (Run.Final). Runs without them are left out; missing counts
// them.
func FinalSpikeRuns(label string, runs []Run, on Split) (g SpikeGroup, missing int) {
	g.Label = label
	for _, r := range runs {
		m, ok := r.Final(on)
		if !ok {
			missing++
			continue
		}
		g.Spikes = append(g.Spikes, m.TotalSpikes())
		g.Acc = append(g.Acc, m.Accuracy)
	}
	return g, missing
}

// FitSpikeGroup fits a Sigmoid to a group, leaving out silent runs, which a
// log axis cannot show.
func FitSpikeGroup(g SpikeGroup) SpikeFit {
	var s, acc []float64
	f := SpikeFit{Label: g.Label}
	for i, v := range g.Spikes {
		if v <= 0 {
			f.Silent++
			continue
		}
		s, acc = append(s, v), append(acc, g.Acc[i])
	}
	f.Points = len(s)
	if len(s) == 0 {
		f.Err = errors.New("no run with hidden spikes")
		return f
	}
	f.Sigmoid, f.RMSE, f.Err = FitSigmoid(s, acc)
	return f
}

// series is the group drawn with its fit: the legend names the transition,
// or says that there is no fit.
func (f SpikeFit) series(g SpikeGroup) chart.SpikeSeries {
	sr := chart.SpikeSeries{Legend: f.Label + " (no fit)", Spikes: g.Spikes, Acc: g.Acc}
	if f.Err == nil {
		sr.Legend = fmt.Sprintf("%s: transition at %s spikes", f.Label, spikes(f.Transition()))
		sr.Fit = f.Sigmoid
	}
	return sr
}

// Spikes plots the test accuracy of every run against its mean number of
// hidden spikes per test input on a log axis, coloured by the values of the
// settings by (none: one colour), with a sigmoid fitted per group (paper
// Fig. 9) and a dashed line at its transition, the spike count at half
// height. It returns the fits; a group too small to fit is drawn without a
// curve and its SpikeFit says why.
func Spikes(path string, runs []Run, by []string) ([]SpikeFit, error) {
	groups, err := groupBy(runs, by, 1)
	if err != nil {
		return nil, fmt.Errorf("report: spikes: %w", err)
	}
	c := chart.SpikeChart{Title: "Accuracy against hidden-layer activity", XLabel: "hidden spikes per input (test mean, log scale)"}
	fits := make([]SpikeFit, len(groups))
	for i, g := range groups {
		sg := SpikeRuns(g.Label(by), g.Runs)
		fits[i] = FitSpikeGroup(sg)
		c.Series = append(c.Series, fits[i].series(sg))
	}
	return fits, chart.DrawSpikes(path, c)
}

// SpikeGrid is Spikes for groups the caller prepares, one panel per entry
// of panels laid out in rows of cols (paper Fig. 9: data sets and
// connectivities), with chart.DrawSpikeGrid. It returns the fits,
// [panel][group].
func SpikeGrid(path string, panels []SpikePanel, cols int) ([][]SpikeFit, error) {
	fits := make([][]SpikeFit, len(panels))
	charts := make([]chart.SpikeChart, len(panels))
	for i, pn := range panels {
		charts[i] = chart.SpikeChart{Title: pn.Title, XLabel: "hidden spikes per input (log scale)", YLabel: pn.YLabel}
		for _, g := range pn.Groups {
			f := FitSpikeGroup(g)
			fits[i] = append(fits[i], f)
			charts[i].Series = append(charts[i].Series, f.series(g))
		}
	}
	if err := chart.DrawSpikeGrid(path, charts, cols); err != nil {
		return nil, err
	}
	return fits, nil
}

package report

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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
	p := newPlot("Accuracy against hidden-layer activity", "hidden spikes per input (test mean, log scale)", "test accuracy (%)")
	fits := make([]SpikeFit, len(groups))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, g := range groups {
		s, acc, silent := spikePoints(g.Runs)
		fits[i] = SpikeFit{Label: g.Label(by), Points: len(s), Silent: silent}
		if len(s) == 0 {
			fits[i].Err = errors.New("no run with hidden spikes")
			continue
		}
		l, h := minMax(s)
		lo, hi = math.Min(lo, l), math.Max(hi, h)
		if err := addSpikeGroup(p, &fits[i], s, acc, i); err != nil {
			return nil, err
		}
	}
	if math.IsInf(lo, 1) {
		return fits, errors.New("report: spikes: no run has hidden spikes to plot on a log axis")
	}
	p.X.Tick.Marker = log10Ticks{}
	p.X.Min, p.X.Max = math.Log10(lo/1.5), math.Log10(hi*1.5)
	p.Y.Min, p.Y.Max = 0, 100
	p.Add(plotter.NewGrid())
	w := 5.5*vg.Inch + legendWidth(p)
	return fits, savePNG(path, w, 4*vg.Inch, func(dc draw.Canvas) { legendRight(dc, p) })
}

// spikePoints returns the runs' spike counts and accuracies, leaving out
// silent runs.
func spikePoints(runs []Run) (s, acc []float64, silent int) {
	for _, r := range runs {
		if r.Spikes() <= 0 {
			silent++
			continue
		}
		s = append(s, r.Spikes())
		acc = append(acc, r.Test())
	}
	return s, acc, silent
}

// addSpikeGroup draws one group's points, fits and draws its sigmoid.
func addSpikeGroup(p *plot.Plot, fit *SpikeFit, s, acc []float64, i int) error {
	pct := make([]float64, len(acc))
	for j, a := range acc {
		pct[j] = 100 * a
	}
	logs := make([]float64, len(s))
	for j, x := range s {
		logs[j] = math.Log10(x)
	}
	sc, err := plotter.NewScatter(xys(logs, pct))
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: colorAt(i), Radius: vg.Points(2.5), Shape: glyphAt(i)}
	p.Add(sc)
	fit.Sigmoid, fit.RMSE, fit.Err = FitSigmoid(s, acc)
	if fit.Err != nil {
		p.Legend.Add(fit.Label+" (no fit)", sc)
		return nil
	}
	lo, hi := minMax(s)
	curve := make(plotter.XYs, 200)
	for j := range curve {
		x := lo * math.Pow(hi/lo, float64(j)/float64(len(curve)-1))
		curve[j] = plotter.XY{X: math.Log10(x), Y: 100 * fit.At(x)}
	}
	line, err := plotter.NewLine(curve)
	if err != nil {
		return err
	}
	line.LineStyle = solid(colorAt(i), 1.6)
	p.Add(line)
	if t := fit.Transition(); t >= lo && t <= hi {
		p.Add(vline{x: math.Log10(t), LineStyle: dashed(colorAt(i), 1)})
	}
	p.Legend.Add(fmt.Sprintf("%s: transition at %s spikes", fit.Label, spikes(fit.Transition())), sc, line)
	return nil
}

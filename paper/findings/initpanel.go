package findings

import (
	"fmt"
	"image/color"

	"github.com/spikegrad/spikegrad/report"
	"github.com/spikegrad/spikegrad/report/chart"
)

// inits are the initialisations compared beyond the paper.
var inits = []struct {
	label string
	kv    []string
	color color.Color
}{
	{"uniform, g = 5", []string{"init", "uniform", "gain", "5"}, orange},
	{"uniform, g = 10", []string{"init", "uniform", "gain", "10"}, vermilion},
	{"fluctuation-driven", []string{"init", "fluctuation"}, blue},
}

// initPanel: the uniform initialisation with its gain against the
// fluctuation-driven one, one to three hidden layers, top 5 over η.
func (r results) initPanel(f *figures) ([]Row, error) {
	const name = "init_bars"
	c := chart.BarChart{Title: "Beyond the paper: initialisation, top-k test accuracy", Chance: 0.1}
	for _, in := range inits {
		c.Series = append(c.Series, in.label)
		c.Colors = append(c.Colors, in.color)
	}
	c.Values = make([][]chart.BarValue, len(inits))
	var parts []string
	for _, d := range depths {
		c.Clusters = append(c.Clusters, d.label)
		var cells []string
		var sums []report.Summary
		for i, in := range inits {
			runs := r.Where("init", append([]string{"hidden", d.hidden}, in.kv...)...)
			s := Top(runs, 5)
			c.Values[i] = append(c.Values[i], s.Bar())
			cell := in.label + " " + pm(s)
			if l := silentLayer(TopRuns(runs, 5)); l > 0 {
				cell += fmt.Sprintf(", hidden layer %d silent", l)
			}
			cells = append(cells, cell)
			sums = append(sums, s)
		}
		bestLabel := ""
		if i := bestCase(sums); i >= 0 {
			bestLabel = inits[i].label
		}
		parts = append(parts, fmt.Sprintf("%s: %s (best on validation: %s)", d.label, join(cells...), bestLabel))
	}
	if err := f.barChart(name, c); err != nil {
		return nil, err
	}
	return []Row{{Panel: "Beyond", Figure: name + ".png", Own: true,
		Finding: "how should hidden-layer weights be initialised? uniform U(±g/√fan_in) against the fluctuation-driven initialisation",
		Paper:   "an open question: \"how does one optimally initialize hidden-layer weights?\" (section 3); the paper's networks start from U(−√k, √k), k = 1/fan_in (section 4.2.3)", Ours: join(parts...),
		Verdict: r.judge(Beyond, "init")}}, nil
}

// silentLayer returns the first hidden layer (from 1) that emits no spike
// on the test set in any of runs, 0 if there is none. A layer silent on
// every input leaves the readout nothing to tell the classes by, so such a
// network stays at chance whatever it learnt below.
func silentLayer(runs []report.Run) int {
	perLayer := func(r report.Run) []float64 {
		if r.Record.Test == nil {
			return nil
		}
		return r.Record.Test.SpikesPerInput
	}
	if len(runs) == 0 {
		return 0
	}
	for l := range perLayer(runs[0]) {
		silent := true
		for _, r := range runs {
			if sp := perLayer(r); l >= len(sp) || sp[l] > 0 {
				silent = false
				break
			}
		}
		if silent {
			return l + 1
		}
	}
	return 0
}

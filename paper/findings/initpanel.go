package findings

import (
	"fmt"
	"image/color"

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
		best, bestLabel := -1.0, ""
		var cells []string
		for i, in := range inits {
			s := Top(r.Where("init", append([]string{"hidden", d.hidden}, in.kv...)...), 5)
			c.Values[i] = append(c.Values[i], s.Bar())
			cells = append(cells, in.label+" "+pm(s))
			if s.N > 0 && s.TestMean > best {
				best, bestLabel = s.TestMean, in.label
			}
		}
		parts = append(parts, fmt.Sprintf("%s: %s (best: %s)", d.label, join(cells...), bestLabel))
	}
	if err := f.barChart(name, c); err != nil {
		return nil, err
	}
	return []Row{{Panel: "Beyond", Figure: name + ".png",
		Finding: "how should hidden-layer weights be initialised? uniform U(±g/√fan_in) against the fluctuation-driven initialisation",
		Paper:   "left open in the discussion", Ours: join(parts...),
		Verdict: r.judge(Beyond, "init")}}, nil
}

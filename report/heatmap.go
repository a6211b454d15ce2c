package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/spikegrad/spikegrad/report/chart"
)

// Heatmap draws the top-k mean test accuracy over the values of two
// settings, x across and y up (paper Fig. 3b: β × learning rate), one
// panel per combination of the facet settings (the surrogate shape, say),
// all on one colour scale so panels compare. Every cell is annotated with
// its value; cells without runs are grey.
func Heatmap(path string, runs []Run, x, y string, facet []string, k int) error {
	return HeatmapWith(path, runs, x, y, facet, k, HeatmapOptions{})
}

// HeatmapOptions change how HeatmapWith lays out the panels.
type HeatmapOptions struct {
	// Titles name the panels by the facet values joined with ", "
	// ("superspike" → "SuperSpike"); a panel without a title is named
	// by its settings.
	Titles map[string]string
	// Order lists facet values, joined with ", ", in the order the panels
	// are drawn; panels not listed follow in value order.
	Order []string
}

// HeatmapWith is Heatmap with the panels named and ordered by o.
func HeatmapWith(path string, runs []Run, x, y string, facet []string, k int, o HeatmapOptions) error {
	keys := append(append([]string{}, facet...), x, y)
	groups, err := groupBy(runs, keys, k)
	if err != nil {
		return fmt.Errorf("report: heatmap: %w", err)
	}
	nf := len(facet)
	xs, ys := distinct(groups, nf), distinct(groups, nf+1)
	panels := heatPanels(groups, nf, xs, ys)
	if len(o.Order) > 0 {
		rank := func(p heatPanelData) int {
			for i, v := range o.Order {
				if v == strings.Join(p.values, ", ") {
					return i
				}
			}
			return len(o.Order)
		}
		sort.SliceStable(panels, func(i, j int) bool { return rank(panels[i]) < rank(panels[j]) })
	}
	h := chart.Heatmap{XLabel: axisName(x), YLabel: axisName(y), X: displayAll(xs), Y: displayAll(ys),
		Scale: fmt.Sprintf("test accuracy (%%), mean of top %d", k)}
	for _, pn := range panels {
		title := fmt.Sprintf("top-%d mean test accuracy (%%)", k)
		if nf > 0 {
			title = pn.label(facet)
			if t, ok := o.Titles[strings.Join(pn.values, ", ")]; ok {
				title = t
			}
		}
		h.Panels = append(h.Panels, chart.HeatPanel{Title: title, Values: pn.grid})
	}
	return chart.DrawHeatmap(path, h)
}

type heatPanelData struct {
	values []string    // of the facet settings
	grid   [][]float64 // [y][x], in percent; NaN where no run exists
}

func (p heatPanelData) label(facet []string) string {
	return Group{Values: p.values}.Label(facet)
}

// heatPanels sorts groups into one grid per facet value, in percent.
func heatPanels(groups []Group, nf int, xs, ys []string) []heatPanelData {
	index := func(vals []string, v string) int {
		for i, s := range vals {
			if s == v {
				return i
			}
		}
		return -1
	}
	var panels []heatPanelData
	byFacet := map[string]int{}
	for _, g := range groups {
		id := strings.Join(g.Values[:nf], "\x00")
		i, ok := byFacet[id]
		if !ok {
			i = len(panels)
			byFacet[id] = i
			grid := make([][]float64, len(ys))
			for r := range grid {
				grid[r] = make([]float64, len(xs))
				for c := range grid[r] {
					grid[r][c] = math.NaN()
				}
			}
			panels = append(panels, heatPanelData{values: g.Values[:nf], grid: grid})
		}
		panels[i].grid[index(ys, g.Values[nf+1])][index(xs, g.Values[nf])] = 100 * g.TestMean
	}
	return panels
}

// displayAll shows each value as display does.
func displayAll(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = display(v)
	}
	return out
}

// axisNames label axes of the settings most often swept with their
// meaning and unit; other settings go by their name.
var axisNames = map[string]string{
	"beta":                "surrogate slope β",
	"lr":                  "learning rate η",
	"hidden":              "hidden layer sizes",
	"surrogate":           "surrogate derivative",
	"readout":             "readout",
	"tau-mem":             "τ_mem (ms)",
	"tau-syn":             "τ_syn (ms)",
	"tau-readout":         "τ_readout (ms)",
	"dt":                  "Δt (ms)",
	"gain":                "initialisation gain g",
	"reg-upper-strength":  "λ_upper",
	"reg-lower-strength":  "λ_lower",
	"reg-upper-threshold": "ν_upper (spikes per neuron)",
	"reg-lower-threshold": "ν_lower (spikes per neuron)",
	"batch":               "batch size",
	"epochs":              "epochs",
}

func axisName(key string) string {
	if n, ok := axisNames[key]; ok {
		return n
	}
	return key
}

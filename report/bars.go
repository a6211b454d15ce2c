package report

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/report/chart"
)

// Bars draws grouped bars of top-k test accuracy, mean with the standard
// deviation as error bars (paper Fig. 3c, 5c–f, 6): one cluster per
// combination of the x settings and, within a cluster, one bar per value
// of the colour setting ("" for a single colour). A chance level in (0, 1)
// is drawn as a dashed line; 0 draws none.
func Bars(path string, runs []Run, x []string, colorKey string, k int, chance float64) error {
	if len(x) == 0 {
		return fmt.Errorf("report: bars: no setting to group bars by")
	}
	if chance < 0 || chance >= 1 {
		return fmt.Errorf("report: bars: chance level %g, want a fraction in [0, 1)", chance)
	}
	keys := append([]string{}, x...)
	if colorKey != "" {
		keys = append(keys, colorKey)
	}
	groups, err := groupBy(runs, keys, k)
	if err != nil {
		return fmt.Errorf("report: bars: %w", err)
	}
	cats, catOf := clusters(groups, x)
	shades := []string{""}
	if colorKey != "" {
		shades = distinct(groups, len(x))
	}
	c := chart.BarChart{Title: fmt.Sprintf("Test accuracy: mean ± std of the top %d runs on validation", k),
		XLabel: axisName(strings.Join(x, ", ")), Clusters: cats, Colors: shadeColors(shades), Chance: chance}
	for _, shade := range shades {
		name := ""
		if colorKey != "" {
			name = symbol(colorKey) + " = " + display(shade)
		}
		c.Series = append(c.Series, name)
		c.Values = append(c.Values, make([]chart.BarValue, len(cats))) // N = 0: no bar
	}
	for gi, g := range groups {
		j := 0
		if colorKey != "" {
			j = slices.Index(shades, g.Values[len(x)])
		}
		c.Values[j][catOf[gi]] = g.Bar()
	}
	return chart.DrawBarChart(path, c)
}

// clusters returns the tick labels of the x combinations in order, and the
// cluster of every group.
func clusters(groups []Group, x []string) ([]string, []int) {
	var cats []string
	seen := map[string]int{}
	catOf := make([]int, len(groups))
	for gi, g := range groups {
		id := strings.Join(g.Values[:len(x)], "\x00")
		i, ok := seen[id]
		if !ok {
			i = len(cats)
			seen[id] = i
			cats = append(cats, clusterLabel(g.Values[:len(x)]))
		}
		catOf[gi] = i
	}
	return cats, catOf
}

// clusterLabel is the values alone, comma-separated: the axis label names
// the settings in the same order.
func clusterLabel(vals []string) string {
	return strings.Join(displayAll(vals), ", ")
}

// shadeColors colours ordered numbers, such as slopes β, along a
// sequential map, as the paper's shades of blue, and names qualitatively.
func shadeColors(shades []string) []color.Color {
	numeric := len(shades) > 1
	for _, s := range shades {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		return chart.Shades(len(shades))
	}
	return nil // the chart's qualitative palette
}

// symbols are the paper's symbols of settings, for legends.
var symbols = map[string]string{"beta": "β", "lr": "η", "tau-mem": "τ_mem", "tau-syn": "τ_syn", "reg-upper-strength": "λ_upper", "reg-lower-strength": "λ_lower"}

func symbol(key string) string {
	if s, ok := symbols[key]; ok {
		return s
	}
	return key
}

// Bar returns s as a bar of a chart.BarChart.
func (s Summary) Bar() chart.BarValue {
	return chart.BarValue{Mean: s.TestMean, Std: s.TestStd, K: s.K, N: s.N}
}

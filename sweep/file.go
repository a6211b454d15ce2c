package sweep

import (
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spikegrad/spikegrad/run"
)

// ParseSweeps reads a sweep file: either one sweep or, under "sweeps:", a
// list of them. A sweep has an optional name, base (settings applied to all
// its runs), grid (setting: list of values) and variants (a list of setting
// maps; the grid is run for each):
//
//	name: surrogates
//	base: {epochs: 30}
//	grid:
//	  surrogate: [superspike, sigmoid, esser]
//	  beta: [1, 10, 100]
//	  seed: [1, 2, 3]
//	variants:
//	  - {hidden: [100]}
//	  - {hidden: [100, 100]}
//
// Keys are setting names; unknown keys are errors naming the line.
func ParseSweeps(doc []byte) ([]Sweep, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("want a mapping with base, grid and variants, or sweeps")
	}
	m := root.Content[0]
	if list := mapGet(m, "sweeps"); list != nil {
		if list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("line %d: sweeps: want a list", list.Line)
		}
		var out []Sweep
		for _, n := range list.Content {
			sw, err := parseSweep(n)
			if err != nil {
				return nil, err
			}
			out = append(out, sw)
		}
		return out, nil
	}
	sw, err := parseSweep(m)
	return []Sweep{sw}, err
}

func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func parseSweep(m *yaml.Node) (Sweep, error) {
	var sw Sweep
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return sw, fmt.Errorf("line %d: want a sweep mapping", m.Line)
	}
	var probe run.Settings
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		var err error
		switch k.Value {
		case "name":
			sw.Name = v.Value
		case "base":
			sw.Base, err = assignments(v, &probe)
		case "grid":
			sw.Grid, err = axes(v, &probe)
		case "variants":
			if v.Kind != yaml.SequenceNode {
				return sw, fmt.Errorf("line %d: variants: want a list of setting maps", v.Line)
			}
			for _, e := range v.Content {
				as, err := assignments(e, &probe)
				if err != nil {
					return sw, err
				}
				sw.Variants = append(sw.Variants, as)
			}
		default:
			err = fmt.Errorf("line %d: unknown key %q (want name, base, grid or variants)", k.Line, k.Value)
		}
		if err != nil {
			return sw, err
		}
	}
	return sw, nil
}

// deref follows a YAML alias (*name) to its anchored node.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// assignments reads a mapping of setting: value.
func assignments(m *yaml.Node, probe *run.Settings) ([]Assignment, error) {
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: want a mapping of setting: value", m.Line)
	}
	var out []Assignment
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		if _, ok := probe.Lookup(k.Value); !ok {
			return nil, fmt.Errorf("line %d: unknown setting %q%s", k.Line, k.Value, probe.DidYouMean(k.Value))
		}
		out = append(out, Assignment{k.Value, text(v)})
	}
	return out, nil
}

// axes reads a mapping of setting: [values].
func axes(m *yaml.Node, probe *run.Settings) ([]Axis, error) {
	m = deref(m)
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: grid: want a mapping of setting: [values]", m.Line)
	}
	var out []Axis
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if _, ok := probe.Lookup(k.Value); !ok {
			return nil, fmt.Errorf("line %d: unknown setting %q%s", k.Line, k.Value, probe.DidYouMean(k.Value))
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return nil, fmt.Errorf("line %d: grid %s: want a non-empty list of values", v.Line, k.Value)
		}
		ax := Axis{Key: k.Value}
		for _, e := range v.Content {
			ax.Values = append(ax.Values, text(e))
		}
		out = append(out, ax)
	}
	return out, nil
}

// text turns a YAML value into a setting's text form; a list (hidden layer
// sizes) becomes comma-separated.
func text(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		parts := make([]string, len(n.Content))
		for i, e := range n.Content {
			parts[i] = e.Value
		}
		if len(parts) == 0 {
			return "0"
		}
		return strings.Join(parts, ",")
	}
	return n.Value
}

package run

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// DatasetOf returns the dataset key of a YAML document, or def: the data
// set whose defaults the document's other keys change.
func DatasetOf(doc []byte, def string) string {
	var m map[string]any
	if yaml.Unmarshal(doc, &m) == nil {
		if d, ok := m["dataset"].(string); ok {
			return d
		}
	}
	return def
}

// ApplyYAML sets the keys of a YAML mapping (JSON is YAML too). Unknown keys
// and values of the wrong type are errors naming the key and line.
func (s *Settings) ApplyYAML(doc []byte) error {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return fmt.Errorf("not valid YAML: %w", err)
	}
	if len(root.Content) == 0 {
		return nil // empty file
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping of setting: value", m.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		st, ok := s.Lookup(k.Value)
		if !ok {
			return fmt.Errorf("line %d: unknown key %q%s", k.Line, k.Value, s.DidYouMean(k.Value))
		}
		if seen[k.Value] {
			return fmt.Errorf("line %d: key %q given twice", k.Line, k.Value)
		}
		seen[k.Value] = true
		if err := st.v.decode(v); err != nil {
			return fmt.Errorf("line %d: key %q: %w", v.Line, k.Value, err)
		}
	}
	return nil
}

// YAML renders s with one key per setting, in table order, each under a
// comment that explains it. The output can be passed back with --config.
func (s *Settings) YAML() ([]byte, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, st := range s.Table() {
		var v yaml.Node
		if err := v.Encode(st.Value()); err != nil {
			return nil, fmt.Errorf("%s: %w", st.Name, err)
		}
		if seq := &v; seq.Kind == yaml.SequenceNode {
			seq.Style = yaml.FlowStyle
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: st.Name, HeadComment: st.Usage}
		m.Content = append(m.Content, k, &v)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}}); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// MarshalJSON writes s as an object keyed by setting name, without the
// settings at their legacy value (see ID).
func (s Settings) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for _, st := range s.Table() {
		if atLegacyValue(st) {
			continue
		}
		m[st.Name] = st.Value()
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads s from an object keyed by setting name, on top of the
// defaults of its data set; a setting that MarshalJSON leaves out at its
// legacy value reads back as that value, whatever the data set's default.
func (s *Settings) UnmarshalJSON(b []byte) error {
	var probe struct {
		Dataset string `json:"dataset"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	if probe.Dataset == "" {
		return errors.New("settings: no dataset key")
	}
	*s = DefaultSettings(probe.Dataset)
	for name, v := range legacyValues {
		if err := s.Set(name, v); err != nil {
			return fmt.Errorf("settings: legacy value of %s: %w", name, err)
		}
	}
	return s.ApplyYAML(b)
}

package train

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// ErrHelp is returned by ParseArgs when the user asked for --help.
var ErrHelp = flag.ErrHelp

// Args are the parsed command line of a training command.
type Args struct {
	Settings    *Settings
	PrintConfig bool // print the effective configuration and stop
}

// ParseArgs reads settings from the command line: defaults for the chosen
// data set, then the YAML file of --config if given, then every flag that
// was set, which overrides the file. usage introduces the flag list.
func ParseArgs(name, usage string, args []string, stderr io.Writer) (*Args, error) {
	first := DefaultSettings("randman")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	first.BindFlags(fs)
	config := fs.String("config", "", "YAML configuration file; flags override its keys")
	printConfig := fs.Bool("print-config", false, "print the effective configuration as YAML and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags (each is also a key of the --config file):\n\n", usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: all settings are flags (see --help)", fs.Arg(0))
	}
	var file []byte
	if *config != "" {
		var err error
		if file, err = os.ReadFile(*config); err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	dataset := first.Dataset
	if !set["dataset"] && file != nil {
		dataset = datasetOf(file, dataset)
	}
	s := DefaultSettings(dataset)
	if file != nil {
		if err := s.ApplyYAML(file); err != nil {
			return nil, fmt.Errorf("%s: %w", *config, err)
		}
	}
	for name := range set {
		if _, ok := s.Lookup(name); ok {
			if err := s.Set(name, fs.Lookup(name).Value.String()); err != nil {
				return nil, fmt.Errorf("--%w", err)
			}
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &Args{Settings: &s, PrintConfig: *printConfig}, nil
}

// datasetOf returns the dataset key of a YAML document, or def.
func datasetOf(doc []byte, def string) string {
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
			return fmt.Errorf("line %d: unknown key %q", k.Line, k.Value)
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

// MarshalJSON writes s as an object keyed by setting name.
func (s Settings) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for _, st := range s.Table() {
		m[st.Name] = st.Value()
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads s from an object keyed by setting name, on top of the
// defaults of its data set.
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
	return s.ApplyYAML(b)
}

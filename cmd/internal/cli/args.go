package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spikegrad/spikegrad/internal/readlimit"
	"github.com/spikegrad/spikegrad/run"
)

// Args are the parsed command line of a training command.
type Args struct {
	Settings    *run.Settings
	PrintConfig bool // print the effective configuration and stop
}

// ParseArgs reads settings from the command line: defaults for the chosen
// data set, then the YAML file of --config if given, then every flag that
// was set, which overrides the file, and validates them. usage introduces
// the flag list; --help returns flag.ErrHelp.
func ParseArgs(name, usage string, args []string, stderr io.Writer) (*Args, error) {
	first := run.DefaultSettings("randman")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, st := range first.Table() {
		fs.Var(st.Flag(), st.Name, st.Usage)
	}
	config := fs.String("config", "", "YAML configuration file; flags override its keys")
	printConfig := fs.Bool("print-config", false, "print the effective configuration as YAML and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags (each is also a key of the --config file):\n\n", usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, HintFlag(fs, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: all settings are flags (see --help)", fs.Arg(0))
	}
	var file []byte
	if *config != "" {
		var err error
		if file, err = readlimit.ReadFile(*config, readlimit.Config); err != nil {
			return nil, fmt.Errorf("--config: %w (a configuration file is a few kilobytes of YAML)", err)
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	dataset := first.Dataset
	if !set["dataset"] && file != nil {
		dataset = run.DatasetOf(file, dataset)
	}
	s := run.DefaultSettings(dataset)
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
		return nil, attribute(err, set, *config, file)
	}
	return &Args{Settings: &s, PrintConfig: *printConfig}, nil
}

// attribute names where the setting at fault in a validation error came
// from: "--dt: …" for a flag, "run.yaml: dt: …" for a key of the
// configuration file. Errors start with the setting's name, or several
// names separated by commas.
func attribute(err error, flags map[string]bool, config string, file []byte) error {
	msg := err.Error()
	head, _, ok := strings.Cut(msg, ": ")
	if !ok {
		return err
	}
	keys := strings.Split(head, ", ")
	named, byFlag := make([]string, len(keys)), false
	for i, k := range keys {
		named[i] = k
		if flags[k] {
			named[i], byFlag = "--"+k, true
		}
	}
	if byFlag {
		return fmt.Errorf("%s: %s", strings.Join(named, ", "), strings.TrimPrefix(msg, head+": "))
	}
	if file != nil {
		inFile := map[string]bool{}
		var m map[string]any
		if yaml.Unmarshal(file, &m) == nil {
			for k := range m {
				inFile[k] = true
			}
		}
		for _, k := range keys {
			if inFile[k] {
				return fmt.Errorf("%s: %w", config, err)
			}
		}
	}
	return err
}

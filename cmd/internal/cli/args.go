package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spikegrad/spikegrad/internal/readlimit"
	"github.com/spikegrad/spikegrad/run"

	// The data sets whose defaults and checks the settings need.
	_ "github.com/spikegrad/spikegrad/catalog"
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

// attribute names where the settings at fault in a validation error
// (run.SettingError) came from: "--dt: …" for a flag, "run.yaml: dt: …"
// for a key of the configuration file.
func attribute(err error, flags map[string]bool, config string, file []byte) error {
	var se *run.SettingError
	if !errors.As(err, &se) {
		return err
	}
	named, byFlag := make([]string, len(se.Settings)), false
	for i, k := range se.Settings {
		named[i] = k
		if flags[k] {
			named[i], byFlag = "--"+k, true
		}
	}
	if byFlag {
		return fmt.Errorf("%s: %s", strings.Join(named, ", "), se.Msg)
	}
	if file != nil {
		var m map[string]any
		if yaml.Unmarshal(file, &m) == nil {
			for _, k := range se.Settings {
				if _, ok := m[k]; ok {
					return fmt.Errorf("%s: %w", config, err)
				}
			}
		}
	}
	return err
}

package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/spikegrad/spikegrad/internal/nearest"
)

// HintFlag adds the nearest defined flag to fs.Parse's error about a flag
// that is not defined; other errors it returns as they are.
func HintFlag(fs *flag.FlagSet, err error) error {
	// The flag package names an unknown flag in this form only.
	name, ok := strings.CutPrefix(fmt.Sprint(err), "flag provided but not defined: -")
	if !ok {
		return err
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if n, ok := nearest.Name(strings.TrimPrefix(name, "-"), names); ok {
		return fmt.Errorf("%w (did you mean --%s?)", err, n)
	}
	return err
}

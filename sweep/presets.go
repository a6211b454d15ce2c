package sweep

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed presets/*.yaml
var presetFS embed.FS

// PresetNames lists the built-in sweeps.
func PresetNames() []string {
	entries, _ := presetFS.ReadDir("presets")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Preset returns a built-in sweep file's text and its sweeps.
func Preset(name string) ([]byte, []Sweep, error) {
	doc, err := presetFS.ReadFile(path.Join("presets", name+".yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("preset: unknown preset %q, want one of %s", name, strings.Join(PresetNames(), ", "))
	}
	sw, err := ParseSweeps(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("preset %s: %w", name, err)
	}
	return doc, sw, nil
}

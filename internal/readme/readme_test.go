package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every example the README names is a function of that package's tests.
func TestNamedExamplesExist(t *testing.T) {
	named := regexp.MustCompile("`([a-z]+)\\.(Example[A-Za-z_]*)`").FindAllStringSubmatch(readme(t), -1)
	if len(named) < 5 {
		t.Fatalf("the README names %d examples", len(named))
	}
	for _, m := range named {
		pkg, fn := m[1], m[2]
		files, _ := filepath.Glob(filepath.Join("../..", pkg, "*_test.go"))
		found := false
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if strings.Contains(string(b), "func "+fn+"()") {
				found = true
			}
		}
		if !found {
			t.Errorf("README names %s.%s, which %s/*_test.go does not define", pkg, fn, pkg)
		}
	}
}

// Issue 23, item 12: the README said examples show in `go doc -all`; go
// doc prints no examples.
func TestNoClaimThatGoDocShowsExamples(t *testing.T) {
	r := readme(t)
	i := strings.Index(r, "example tests are runnable documentation")
	if i < 0 {
		t.Fatal("the README no longer describes the examples")
	}
	para, _, _ := strings.Cut(r[i:], "\n\n")
	if strings.Contains(para, "(`go doc -all`") || !strings.Contains(para, "go test -run Example -v") {
		t.Errorf("the README's examples paragraph:\n%s", para)
	}
}

// Issue 23, item 14: the README never said how to draw an eval snapshot.
func TestSnapshotIsDrawn(t *testing.T) {
	if !strings.Contains(strings.Join(strings.Fields(readme(t)), " "), "go run ./cmd/report --snapshot runs/<run>/snapshot.json") {
		t.Error("the README does not say how to draw cmd/eval's snapshot")
	}
}

// Issue 23, item 18: the licence, the citation and the changelog exist
// and say what they must.
func TestLicenceCitationChangelog(t *testing.T) {
	lic, err := os.ReadFile("../../LICENSE")
	if err != nil || !strings.Contains(string(lic), "Apache License\n                           Version 2.0, January 2004") ||
		!strings.Contains(string(lic), "END OF TERMS AND CONDITIONS") || !strings.Contains(string(lic), "Copyright 2026 The spikegrad authors") {
		t.Errorf("LICENSE: %v, or not the Apache License 2.0 of The spikegrad authors", err)
	}
	b, err := os.ReadFile("../../CITATION.cff")
	if err != nil {
		t.Fatal(err)
	}
	var cff struct {
		Version    string `yaml:"cff-version"`
		Message    string
		Title      string
		License    string
		Authors    []map[string]string
		References []struct {
			Type, Journal, DOI  string
			Year, Volume, Issue int
			Start, End          int
		}
	}
	if err := yaml.Unmarshal(b, &cff); err != nil {
		t.Fatalf("CITATION.cff: %v", err)
	}
	if cff.Version != "1.2.0" || cff.Message == "" || cff.Title == "" || len(cff.Authors) == 0 || cff.License != "Apache-2.0" {
		t.Errorf("CITATION.cff lacks a required key: %+v", cff)
	}
	if len(cff.References) != 1 || cff.References[0].DOI != "10.1162/neco_a_01367" || cff.References[0].Journal != "Neural Computation" ||
		cff.References[0].Volume != 33 || cff.References[0].Issue != 4 || cff.References[0].Start != 899 || cff.References[0].End != 925 {
		t.Errorf("CITATION.cff: references %+v, want Zenke & Vogels 2021", cff.References)
	}
	cl, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil || !strings.Contains(string(cl), "\n## Unreleased\n") {
		t.Errorf("CHANGELOG.md: %v, or no Unreleased section", err)
	}
	r := readme(t)
	for _, f := range []string{"LICENSE", "CITATION.cff", "CHANGELOG.md"} {
		if !strings.Contains(r, "("+f+")") {
			t.Errorf("the README does not link %s", f)
		}
	}
}

// Issue 23, item 17: the README gave no duration for the tests and no
// quick subset. Its first screen keeps `go test ./...`, the command that
// .ci/run runs.
func TestTestCommands(t *testing.T) {
	r := readme(t)
	lines := strings.Split(r, "\n")
	if !strings.Contains(strings.Join(lines[:min(25, len(lines))], "\n"), "go test ./...") {
		t.Error("the README's first screen lacks `go test ./...`")
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil || !strings.Contains(string(ci), "\ngo test ./...\n") {
		t.Errorf(".ci/run does not run `go test ./...`: %v", err)
	}
	i := strings.Index(r, "\n## Testing\n")
	if i < 0 {
		t.Fatal("no Testing section")
	}
	section, _, _ := strings.Cut(r[i+1:], "\n## ")
	flat := strings.Join(strings.Fields(section), " ")
	if !regexp.MustCompile(`The whole suite takes [^.]*\d+ min`).MatchString(flat) || !regexp.MustCompile("`go test -short ./...` [^;]*\\d+ min").MatchString(flat) {
		t.Errorf("the Testing section gives no duration of the whole suite or no quick subset:\n%s", section)
	}
}

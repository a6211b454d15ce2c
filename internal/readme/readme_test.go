package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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

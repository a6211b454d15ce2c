package run

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// changed returns a valid text for st that differs from its value.
func changed(st Setting) string {
	switch v := st.v.(type) {
	case *boolValue:
		return strconv.FormatBool(!bool(*v))
	case *intValue:
		return strconv.Itoa(int(*v) + 1)
	case *uint64Value:
		return strconv.FormatUint(uint64(*v)+1, 10)
	case *floatValue:
		return strconv.FormatFloat(float64(*v)*2+1, 'g', -1, 64)
	case *intsValue:
		return "3,4"
	case *sizeValue:
		return strconv.FormatInt(int64(*v)+1<<20, 10)
	}
	return st.String() + "x"
}

// The resume check follows the table: a change to any setting marked
// Architecture is refused, naming it, and a change to any other is not.
// A new setting marked in the table is checked without further code.
func TestCompatibleFollowsTheTable(t *testing.T) {
	base := DefaultSettings("randman")
	var archs []string
	for _, st := range base.Table() {
		other := DefaultSettings("randman")
		if err := other.Set(st.Name, changed(st)); err != nil {
			t.Fatal(err)
		}
		err := base.Compatible(&other)
		switch {
		case st.Architecture && (err == nil || !strings.Contains(err.Error(), st.Name)):
			t.Errorf("%s changed: %v, want an error naming it", st.Name, err)
		case !st.Architecture && err != nil:
			t.Errorf("%s changed: %v, want no error", st.Name, err)
		}
		if st.Architecture {
			archs = append(archs, st.Name)
		}
	}
	want := []string{"dataset", "randman-classes", "randman-units", "steps", "dt", "hidden", "recurrent",
		"neuron", "discretisation", "readout", "tau-mem", "tau-syn", "tau-readout"}
	if !slices.Equal(archs, want) {
		t.Errorf("architecture settings %v, want %v", archs, want)
	}
}

// Every setting has a distinct name and a usage text.
func TestTableNamesAreUnique(t *testing.T) {
	s := DefaultSettings("randman")
	seen := map[string]bool{}
	for _, st := range s.Table() {
		if seen[st.Name] || st.Usage == "" {
			t.Errorf("setting %q: duplicate or without usage", st.Name)
		}
		seen[st.Name] = true
	}
}

// TestUnknownSettingSuggests: a misspelt setting name is refused with the
// nearest real one; a name near none gets no guess.
func TestUnknownSettingSuggests(t *testing.T) {
	s := DefaultSettings("randman")
	for _, c := range []struct {
		err  error
		want string
	}{
		{s.Set("hiden", "10"), `unknown setting "hiden" (did you mean "hidden"?)`},
		{s.Set("Epochs", "10"), `unknown setting "Epochs" (did you mean "epochs"?)`},
		{s.Set("reg-upper-treshold", "1"), `unknown setting "reg-upper-treshold" (did you mean "reg-upper-threshold"?)`},
		{s.ApplyYAML([]byte("betta: 2\n")), `line 1: unknown key "betta" (did you mean "beta"?)`},
		{s.Set("colour", "red"), `unknown setting "colour"`},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("got %v, want %s", c.err, c.want)
		}
	}
}

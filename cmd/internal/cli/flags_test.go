package cli

import (
	"errors"
	"flag"
	"io"
	"testing"
)

// TestHintFlag: an undefined flag gets the nearest defined one; a flag
// near none, and every other error, pass unchanged.
func TestHintFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ouy", "x"}, "flag provided but not defined: -ouy (did you mean --out?)"},
		{[]string{"-Jobs", "2"}, "flag provided but not defined: -Jobs (did you mean --jobs?)"},
		{[]string{"--colour"}, "flag provided but not defined: -colour"},
		{[]string{"--jobs", "many"}, `invalid value "many" for flag -jobs: parse error`},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.String("out", "", "")
		fs.Int("jobs", 1, "")
		err := HintFlag(fs, fs.Parse(c.args))
		if err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %s", c.args, err, c.want)
		}
	}
	if HintFlag(flag.NewFlagSet("t", flag.ContinueOnError), nil) != nil {
		t.Error("nil error changed")
	}
	if err := errors.New("other"); HintFlag(flag.NewFlagSet("t", flag.ContinueOnError), err) != err {
		t.Error("other error changed")
	}
}

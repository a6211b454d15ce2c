package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadArguments(t *testing.T) {
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--out", empty}, 2, "--runs"},
		{[]string{"--runs", empty}, 2, "--out"},
		{[]string{"--runs", empty, "--out", empty, "extra"}, 2, `"extra"`},
		{[]string{"--runs", empty, "--out", empty}, 1, "--runs"},
		{[]string{"--runs", filepath.Join(empty, "none"), "--out", empty}, 1, "--runs"},
		{[]string{"--nope"}, 2, "-nope"},
	} {
		var out, errs bytes.Buffer
		if code := run(c.args, &out, &errs); code != c.code || !strings.Contains(errs.String(), c.says) {
			t.Errorf("%v: exit %d, want %d naming %s:\n%s", c.args, code, c.code, c.says, errs.String())
		}
	}
}

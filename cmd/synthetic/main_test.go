package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritesEachDataSet(t *testing.T) {
	for dataset, file := range map[string]string{
		"shd":   "shd_train.h5",
		"ssc":   "ssc_valid.h5",
		"rawhd": "train_filenames.txt",
		"rawsc": "testing_list.txt",
	} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		args := []string{"--dataset", dataset, "--dir", dir, "--words", "--train", "40", "--valid", "35", "--test", "35",
			"--per-word", "3", "--classes", "4"}
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", dataset, code, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(dir, file)); err != nil || !strings.Contains(stdout.String(), "wrote synthetic "+dataset) {
			t.Errorf("%s: %v; stdout %q", dataset, err, stdout.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	for want, args := range map[string][]string{
		"--dataset": {"--dataset", "timit", "--dir", dir},
		"--classes": {"--dataset", "rawsc", "--classes", "36", "--dir", dir},
		"--dir":     {"--dataset", "shd"},
		"--train":   {"--dataset", "shd", "--train", "0", "--dir", dir},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%v: exit %d, stderr %q; want a message naming %s", args, code, stderr.String(), want)
		}
	}
}

// An absurd size is refused with one message that names the limit, said once.
func TestAbsurdSizeIsRefusedOnce(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--dataset", "rawhd", "--train", "2000000000", "--test", "1", "--dir", t.TempDir()}, &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "--train: want a sample count in [1, 1048576]") || strings.Count(errb.String(), "synthetic:") != 1 {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// Issue 23, item 10: a count out of range was reported as the package's
// "sample counts must lie in …, got [-1 200]", naming no flag.
func TestCountErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ dataset, flag, value string }{
		{"shd", "--train", "-1"}, {"shd", "--test", "0"}, {"rawhd", "--test", "-1"}, {"ssc", "--valid", "-1"},
		{"rawhd", "--train", "2000000000"}, {"rawsc", "--per-word", "-1"}, {"rawsc", "--per-word", "2"},
	} {
		var out, errb bytes.Buffer
		code := run([]string{"--dataset", c.dataset, "--dir", dir, c.flag, c.value}, &out, &errb)
		if code != 2 || !strings.Contains(errb.String(), "synthetic: "+c.flag+": ") || !strings.Contains(errb.String(), c.value) {
			t.Errorf("%s %s %s: exit %d, stderr %q; want exit 2 and a message naming the flag and the value", c.dataset, c.flag, c.value, code, errb.String())
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/baseline"
	"github.com/spikegrad/spikegrad/datasets/synthetic"
)

// The command loads a registered data set as cmd/train does, fits both
// classifiers and writes what they gave.
func TestFitsBothClassifiersOnSyntheticWords(t *testing.T) {
	data, out := t.TempDir(), t.TempDir()
	if err := synthetic.WriteRawHDWith(data, 60, 20, 1, synthetic.Options{Words: true}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--dataset", "rawhd", "--data-dir", data, "--epochs", "3", "--hidden", "8", "--seed", "7", "--seeds", "2",
		"--lr", "0.001,0.003", "--l2", "0.0001", "--out", out, "--log-format", "json"}
	if code := runMain(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"logreg: test accuracy", "mlp: test accuracy", "over 2 seeds", "among 2 configurations", "results in"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q: %s", want, stdout.String())
		}
	}
	if !strings.Contains(stderr.String(), `"msg":"fit"`) {
		t.Errorf("want JSON log lines of the fits, got %s", stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "baseline_rawhd.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r baseline.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	// rawhd's defaults: 80 Mel frames of 40 filters, a tenth held out.
	if r.Dataset != "rawhd" || r.Steps != 80 || r.Features != 80*40 || r.Train != 54 || r.Validation != 6 || r.Test != 20 || len(r.Fits) != 2 {
		t.Fatalf("report %+v", r)
	}
	for _, f := range r.Fits {
		if len(f.Points) != 2 || len(f.Runs) != 2 || f.Test.N != 2 || f.Selected.Seed != 7 || (f.Model == "mlp") != (f.Selected.Hidden == 8) {
			t.Errorf("%s: %+v", f.Model, f)
			continue
		}
		for i, run := range f.Runs {
			if run.Seed != uint64(7+i) || len(run.History) != 3 || run.BestEpoch < 1 || run.Result.Test.N != 20 {
				t.Errorf("%s, run %d: %+v", f.Model, i, run)
			}
		}
	}
}

// Binning and the randman flags, which need no files.
func TestBinsRandman(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"--randman-classes", "3", "--randman-units", "5", "--randman-samples", "30", "--randman-train", "20",
		"--randman-validation", "5", "--randman-window", "20", "--steps", "40", "--bin", "8", "--model", "logreg",
		"--epochs", "2", "--seeds", "1", "--lr", "0.01", "--l2", "0", "--out", out}
	if code := runMain(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "baseline_randman.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r baseline.Report
	if err := json.Unmarshal(b, &r); err != nil || r.Features != 5*5 || len(r.Fits) != 1 || r.Fits[0].Model != "logreg" {
		t.Errorf("%v: %+v", err, r)
	}
}

func TestBadFlagsExitWithUsageError(t *testing.T) {
	for want, args := range map[string][]string{
		"--model":          {"--model", "svm"},
		"--bin":            {"--bin", "0"},
		"--epochs":         {"--epochs", "0"},
		"--steps":          {"--steps", "0"},
		"--lr":             {"--lr", "-1"},
		"--lr: want":       {"--lr", "0.1,x"},
		"twice":            {"--l2", "0.1,0.1"},
		"--hidden":         {"--hidden", "-3"},
		"--patience":       {"--patience", "-1"},
		"--seeds":          {"--seeds", "0"},
		"unknown data set": {"--dataset", "timit"},
		"argument":         {"stray"},
		"-tau-mem":         {"--tau-mem", "5"}, // a network's setting, not the data's
	} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message naming %s", args, code, stderr.String(), want)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"--help"}, &stdout, &stderr); code != 0 || !strings.Contains(stderr.String(), "-data-dir") {
		t.Errorf("--help: exit %d, %q", code, stderr.String())
	}
}

// Issue 23, item 16: --help showed randman's defaults (-dt 1, -steps 100)
// for flags whose default is the chosen data set's.
func TestHelpShowsEachDataSetsDefaults(t *testing.T) {
	var errs bytes.Buffer
	if _, err := parse([]string{"--help"}, &errs); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	help := errs.String()
	for _, want := range []string{"(default per data set: randman 1, mnist 1, shd 2, ssc 4, rawhd 10, rawsc 10)", "-steps value", "randman 100", "shd 400"} {
		if !strings.Contains(help, want) {
			t.Errorf("--help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "(default 1)\n  -epochs") {
		t.Errorf("--help gives -dt randman's default:\n%s", help)
	}
}

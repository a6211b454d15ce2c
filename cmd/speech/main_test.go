package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/speech"
)

func TestFlagErrorsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", "x"}, "--set"},
		{[]string{"--set", "rawhd"}, "--out"},
		{[]string{"--set", "rawhd", "--out", "x", "--trials", "0"}, "--trials"},
		{[]string{"--set", "rawhd", "--out", "x", "--validation-speakers", "2"}, "--validation-speakers"},
		{[]string{"--set", "rawsc", "--out", "x", "--snr-min", "30"}, "--snr-min"},
		{[]string{"--verify", "x", "--set", "rawhd"}, "--verify"},
		{[]string{"--set", "rawhd", "--out", "x", "extra"}, "extra"},
		{[]string{"--spikes", "x"}, "--out"},
		{[]string{"--spikes", "x", "--out", "y", "--set", "rawhd"}, "--set"},
		{[]string{"--verify", "x", "--spikes", "y"}, "--spikes"},
		{[]string{"--spikes", "x", "--out", "y", "--hdf5", "hdf4"}, "--hdf5"},
	} {
		var stderr bytes.Buffer
		if code := runMain(context.Background(), tc.args, &bytes.Buffer{}, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and a message naming %s", tc.args, code, stderr.String(), tc.want)
		}
	}
}

func TestFlagsSetTheConfig(t *testing.T) {
	o, err := parse([]string{"--set", "rawsc", "--out", "x", "--speakers", "3", "--trials", "2", "--words", "yes, no", "--seed", "7"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	want := speech.DefaultConfig(speech.RawSC)
	want.Speakers, want.Trials, want.Words, want.Seed = 3, 2, []string{"yes", "no"}, 7
	if strings.Join(o.config.Words, ",") != "yes,no" || o.config.Speakers != 3 || o.config.Trials != 2 || o.config.Seed != 7 ||
		o.config.ValidationSpeakers != want.ValidationSpeakers || o.config.SNR != want.SNR {
		t.Errorf("got %+v, want %+v", o.config, want)
	}
}

func TestWriteAndVerify(t *testing.T) {
	if _, err := speech.FindTools(t.Context()); err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(t.TempDir(), "sc")
	var stdout, stderr bytes.Buffer
	args := []string{"--set", "rawsc", "--out", dir, "--speakers", "1", "--validation-speakers", "1", "--test-speakers", "1", "--trials", "1", "--words", "yes,no", "--quiet"}
	if code := runMain(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 6 recordings") || !strings.Contains(stdout.String(), "manifest sha256 ") {
		t.Errorf("stdout: %q", stdout.String())
	}
	stdout.Reset()
	if code := runMain(context.Background(), []string{"--verify", dir}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "matches its manifest") {
		t.Fatalf("verify: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
	if err := os.Remove(filepath.Join(dir, "yes", strings.Split(mustList(t, filepath.Join(dir, "yes")), "\n")[0])); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := runMain(context.Background(), []string{"--verify", dir}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "1 missing") {
		t.Errorf("verify after a removal: exit %d, %q", code, stderr.String())
	}
}

func mustList(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, "\n")
}

// TestSpikesFromAStandIn turns a tiny written stand-in into spikes and
// refuses a folder that is not a stand-in, naming what is missing.
func TestSpikesFromAStandIn(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"--spikes", t.TempDir(), "--out", filepath.Join(t.TempDir(), "s"), "--quiet"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), speech.ManifestFile) {
		t.Errorf("spikes of an empty folder: exit %d, %q; want 1 and a message naming %s", code, stderr.String(), speech.ManifestFile)
	}
	if _, err := speech.FindTools(t.Context()); err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(t.TempDir(), "sc")
	args := []string{"--set", "rawsc", "--out", dir, "--speakers", "1", "--validation-speakers", "1", "--test-speakers", "1", "--trials", "1", "--words", "yes,no", "--quiet"}
	if code := runMain(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	out := filepath.Join(t.TempDir(), "ssc")
	if code := runMain(context.Background(), []string{"--spikes", dir, "--out", out, "--hdf5", "go", "--quiet"}, &stdout, &stderr); code != 0 {
		t.Fatalf("--spikes: exit %d: %s", code, stderr.String())
	}
	for _, name := range []string{"ssc_train.h5", "ssc_valid.h5", "ssc_test.h5"} {
		if !strings.Contains(stdout.String(), name+": 2 recordings") {
			t.Errorf("stdout does not report %s with 2 recordings: %q", name, stdout.String())
		}
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
}

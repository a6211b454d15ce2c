package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

// checkpoint trains a small recurrent randman network briefly and returns
// its best weights.
func checkpoint(t *testing.T, dtype, disc, neuron string, hidden ...int) string {
	t.Helper()
	s := runs.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 3, 10, 40
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 30, 5, 20
	s.Steps, s.Hidden, s.Recurrent, s.Readout, s.DType = 40, []int{12}, true, "sum", dtype
	s.Epochs, s.Batch, s.Out, s.Gain = 1, 30, t.TempDir(), 10 // gain: more hidden spikes to compare
	s.Discretisation, s.Neuron = disc, neuron
	if hidden != nil {
		s.Hidden, s.Steps = hidden, 60
	}
	_, dir, err := runner.Execute(context.Background(), &s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, runs.BestFile)
}

// TestExportChecksInPython exports a trained network and hands it, its
// checkpoint and the activity spikegrad's evaluation engine computes on the
// test split to python/nircheck.py (numpy and h5py only), which opens the
// checkpoint with NumPy and checks its documented layout, checks that the
// NIR file holds the same weights, simulates the NIR file and finds the
// same spikes and logits. For learnt time constants the whole round trip:
// checkpoint → export → numpy re-simulation (spikes identical, logits to
// 1e-5: numpy's float64 against the float32 or float64 graph) → import →
// the checkpoint's spikes and logits.
func TestExportChecksInPython(t *testing.T) {
	py := pyexec.Require(t, "numpy", "h5py")
	script := filepath.Join("..", "..", "nir", "python", "nircheck.py")
	if _, err := os.ReadFile(script); err != nil { // an input of the test, for its cache
		t.Fatal(err)
	}
	for _, c := range []struct {
		dtype, disc, target, convention string
		hidden                          []int
		neuron                          string
	}{
		{"float64", "paper", "spikegrad", "paper", nil, ""}, {"float32", "paper", "spikegrad", "paper", nil, ""},
		{"float64", "euler", "peers", "peers", nil, ""}, {"float32", "euler", "peers", "peers", nil, ""},
		{"float32", "euler", "peers", "peers", []int{12, 9}, ""},
		// Learnt per-neuron τ (trained an epoch from a heterogeneous
		// start), which steps by the paper's rule, in both forms.
		{"float32", "paper", "spikegrad", "paper", []int{12, 9}, "lif-learn-tau-gamma"},
		{"float64", "paper", "peers", "paper", nil, "lif-learn-tau-gamma"},
	} {
		t.Run(fmt.Sprintf("%s-%s-%s-%v-%s", c.dtype, c.disc, c.target, c.hidden, c.neuron), func(t *testing.T) {
			dtype := c.dtype
			ck := checkpoint(t, dtype, c.disc, c.neuron, c.hidden...)
			out := filepath.Join(t.TempDir(), "model.nir")
			var stdout, stderr bytes.Buffer
			if code := run([]string{"--checkpoint", ck, "--nir", out, "--target", c.target}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			layers := "10-12-3"
			if c.hidden != nil {
				layers = "10-12-9-3"
			}
			if want := layers + " recurrent network, " + c.disc + " discretisation, sum readout, Δt = 1 ms, " + dtype; !strings.Contains(stdout.String(), want) {
				t.Errorf("report %q, want %q", stdout.String(), want)
			}
			// A network of the paper's discretisation is another
			// network in the peers: the export says what differs.
			warned := strings.Contains(stderr.String(), "hidden layer 1 (recurrent) was trained with the paper's discretisation") &&
				strings.Contains(stderr.String(), "large loss")
			if warned != (c.disc == "paper") {
				t.Errorf("stderr %q for the %s discretisation", stderr.String(), c.disc)
			}
			act := activity(t, out)
			if c.neuron != "" {
				// The network read back from the file computes the
				// checkpoint's spikes, and its logits bit for bit in
				// float32 (θ comes back exactly), to 1e-9 in float64
				// (θ recomputed from the file's τ, to 1e-11).
				sameActivity(t, act, activity(t, ck), map[string]float64{"float32": 0, "float64": 1e-9}[dtype])
			}
			res, err := exec.Command(py, script, out, "--activity", act, "--npz", ck, "--convention", c.convention).Output()
			var r struct {
				Error        string
				HiddenSpikes int      `json:"hidden_spikes"`
				MaxLogitDiff float64  `json:"max_logit_diff"`
				Rel          float64  `json:"max_logit_rel_diff"`
				MaxLogit     float64  `json:"max_abs_logit"`
				Equal        bool     `json:"npz_equals_nir"`
				Arrays       []string `json:"npz_arrays"`
			}
			if jerr := json.Unmarshal(res, &r); jerr != nil || err != nil || r.Error != "" {
				t.Fatalf("nircheck.py: %v %v: %s", err, jerr, res)
			}
			arrays := "W0,Wout,V0"
			if c.hidden != nil {
				arrays = "W0,W1,Wout,V0,V1"
			}
			if c.neuron != "" {
				arrays += ",theta_mem0,theta_syn0"
				if c.hidden != nil {
					arrays += ",theta_mem1,theta_syn1"
				}
				arrays += ",theta_memout,theta_synout"
			}
			if !r.Equal || r.HiddenSpikes == 0 || strings.Join(r.Arrays, ",") != arrays {
				t.Errorf("report %s", res)
			}
			t.Logf("%d hidden spikes identical, max logit difference %.3g (relative %.3g, logits up to %.3g)", r.HiddenSpikes, r.MaxLogitDiff, r.Rel, r.MaxLogit)
		})
	}
}

// activity evaluates the NIR file at path on its test split with the
// engine cmd/eval uses (runner.LoadNetwork, an Evaluator's Snapshots) and
// writes the inputs, hidden spikes and logits as nircheck.py reads them.
func activity(t *testing.T, path string) string {
	t.Helper()
	ck, err := runner.LoadNetwork(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ck.Settings.LoadData(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ck.Settings.Spec(d.Train.Units, d.Train.Classes)
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, d.Test.Len())
	for i := range idx {
		idx[i] = i
	}
	sess, err := train.NewEvaluator(spec, len(idx), ck.Weights)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	snaps, err := sess.Snapshots(d.Test, idx)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs [][][]float64   `json:"inputs"`
		Spikes [][][][]float64 `json:"spikes"`
		Logits [][]float64     `json:"logits"`
	}
	a.Spikes = make([][][][]float64, len(spec.Hidden))
	for _, s := range snaps {
		a.Inputs = append(a.Inputs, s.Input)
		a.Logits = append(a.Logits, s.Logits)
		for l := range spec.Hidden {
			a.Spikes[l] = append(a.Spikes[l], s.Spikes[l])
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "activity.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// sameActivity fails unless the activity files a and b hold the same
// spikes and logits within tol (relative to max(1, |logit|)).
func sameActivity(t *testing.T, a, b string, tol float64) {
	t.Helper()
	var x, y struct {
		Spikes [][][][]float64 `json:"spikes"`
		Logits [][]float64     `json:"logits"`
	}
	for _, f := range []struct {
		path string
		dst  any
	}{{a, &x}, {b, &y}} {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, f.dst); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(x.Spikes, y.Spikes) || len(x.Logits) != len(y.Logits) || len(x.Logits) == 0 {
		t.Fatalf("the imported network's spikes differ from the checkpoint's")
	}
	for i := range x.Logits {
		for k, v := range y.Logits[i] {
			if math.Abs(x.Logits[i][k]-v) > tol*math.Max(1, math.Abs(v)) {
				t.Fatalf("sample %d logit %d: %v after the round trip, the checkpoint's %v", i, k, x.Logits[i][k], v)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("not a zip"), 0o644)
	for want, args := range map[string][]string{
		"--checkpoint is required": {"--nir", "x.nir"},
		"--nir is required":        {"--checkpoint", junk},
		"junk.npz":                 {"--checkpoint", junk, "--nir", filepath.Join(dir, "x.nir")},
		"unexpected argument":      {"--checkpoint", junk, "--nir", "x.nir", "extra"},
	} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code == 0 || !strings.Contains(errs.String(), want) {
			t.Errorf("%v: exit %d, %q; want a message naming %s", args, code, errs.String(), want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.nir")); err == nil {
		t.Error("a failed export left a file")
	}
}

// Bad flags are refused by name, before any file is read.
func TestExportRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--checkpoint", "x.npz", "--nir", "y.nir", "--target", "lava"}, "--target"},
		{[]string{"--checkpoint", "x.npz", "--nir", "y.nir", "--step", "-1"}, "--step"},
		{[]string{"--checkpoint", "x.npz", "--nir", "y.nir", "--step", "NaN"}, "--step"},
		{[]string{"--checkpoint", "x.npz", "--nir", "y.nir", "--target", strings.Repeat("t", 1<<16)}, "--target"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) || stderr.Len() > 300 {
			t.Errorf("%.60v: exit %d, %.300q", c.args, code, stderr.String())
		}
	}
}

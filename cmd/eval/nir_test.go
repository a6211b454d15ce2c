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

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/nir"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// evalJSON runs the command with args and returns its --json result.
func evalJSON(t *testing.T, args ...string) Result {
	t.Helper()
	js := filepath.Join(t.TempDir(), "eval.json")
	var out, errs bytes.Buffer
	if code := run(context.Background(), append(args, "--json", js), &out, &errs); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs.String())
	}
	var r Result
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEvaluatesNIR evaluates a checkpoint and its NIR export: the logits of
// every sample agree bit for bit.
func TestEvaluatesNIR(t *testing.T) {
	ck := checkpoint(t)
	c, err := runner.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.Settings.Spec(10, 3)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(c.Settings)
	file := filepath.Join(t.TempDir(), "model.nir")
	if err := nir.Export(file, &nir.Network{Spec: spec, Weights: c.Weights, Settings: js}); err != nil {
		t.Fatal(err)
	}
	a, b := evalJSON(t, "--checkpoint", ck), evalJSON(t, "--checkpoint", file)
	if len(a.Samples) != 15 || len(b.Samples) != len(a.Samples) || !reflect.DeepEqual(a.Metrics, b.Metrics) {
		t.Fatalf("npz: %+v\nnir: %+v", a.Metrics, b.Metrics)
	}
	for i, s := range a.Samples {
		for k, v := range s.Logits {
			if math.Float64bits(v) != math.Float64bits(b.Samples[i].Logits[k]) {
				t.Fatalf("sample %d logit %d: %v from the NIR file, %v from the checkpoint", i, k, b.Samples[i].Logits[k], v)
			}
		}
	}
}

// TestEvaluatesForeignNIR evaluates a NIR file without spikegrad settings,
// as another library writes it, on the data set --dataset names.
func TestEvaluatesForeignNIR(t *testing.T) {
	s := runs.DefaultSettings("randman")
	spec, err := s.Spec(20, 10)
	if err != nil {
		t.Fatal(err)
	}
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "foreign.nir")
	if err := nir.Export(file, &nir.Network{Spec: spec, Weights: w}); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if code := run(context.Background(), []string{"--checkpoint", file}, &out, &errs); code == 0 || !strings.Contains(errs.String(), "data set") {
		t.Errorf("without --dataset: exit %d, %s", code, errs.String())
	}
	r := evalJSON(t, "--checkpoint", file, "--dataset", "randman", "--split", "validation")
	if r.Metrics.N != 1000 || len(r.Samples) != 1000 {
		t.Errorf("evaluated %d samples", r.Metrics.N)
	}
	if code := run(context.Background(), []string{"--checkpoint", file, "--dataset", "cifar"}, &out, &errs); code != 2 {
		t.Errorf("unknown data set: exit %d", code)
	}
}

// TestEvaluatesSnnTorchNIR evaluates files written the way snnTorch's
// export_to_nir writes them (python/foreign.py --snntorch, with h5py: τ in
// seconds for its step of 0.1 ms, r = τ_mem/dt, Affine nodes with a zero
// bias, recurrent layers as subgraphs, a CubaLIF last layer, no metadata)
// with one flag, --nir-dt: they run by the Euler discretisation, say so,
// and give the logits of the network they were written from.
func TestEvaluatesSnnTorchNIR(t *testing.T) {
	py := pyexec.Require(t, "numpy", "h5py")
	script := filepath.Join("..", "..", "nir", "python", "foreign.py")
	for _, f := range []string{script, filepath.Join("..", "..", "nir", "python", "nircheck.py")} {
		if _, err := os.ReadFile(f); err != nil { // inputs of the test, for its cache
			t.Fatal(err)
		}
	}
	for _, rec := range []bool{false, true} {
		t.Run(fmt.Sprintf("recurrent=%v", rec), func(t *testing.T) {
			s := runs.DefaultSettings("randman")
			s.Discretisation, s.Recurrent = "euler", rec
			spec, err := s.Spec(20, 10)
			if err != nil {
				t.Fatal(err)
			}
			w, err := models.Init(spec, 3, tensor.Float32)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			ours, theirs := filepath.Join(dir, "spikegrad.nir"), filepath.Join(dir, "snntorch.nir")
			if _, err := nir.ExportWith(ours, &nir.Network{Spec: spec, Weights: w}, nir.ExportOptions{}); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(py, script, ours, theirs, "--snntorch").CombinedOutput(); err != nil {
				t.Fatalf("foreign.py: %v: %s", err, out)
			}
			var out, errs bytes.Buffer
			if code := run(context.Background(), []string{"--checkpoint", theirs, "--dataset", "randman"}, &out, &errs); code == 0 ||
				!strings.Contains(errs.String(), "--nir-dt") {
				t.Errorf("without --nir-dt: exit %d, %s", code, errs.String())
			}
			want := evalJSON(t, "--checkpoint", ours, "--dataset", "randman", "--split", "validation")
			out.Reset()
			js := filepath.Join(dir, "eval.json")
			args := []string{"--checkpoint", theirs, "--dataset", "randman", "--split", "validation", "--nir-dt", "1e-4", "--json", js}
			if code := run(context.Background(), args, &out, &errs); code != 0 {
				t.Fatalf("exit %d: %s", code, errs.String())
			}
			if !strings.Contains(out.String(), "note: ") || !strings.Contains(out.String(), "--discretisation euler") {
				t.Errorf("no note of the discretisation: %s", out.String())
			}
			var got Result
			b, _ := os.ReadFile(js)
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i, smp := range want.Samples {
				if got.Samples[i].Predicted != smp.Predicted {
					t.Fatalf("sample %d: predicted %d, the network written %d", i, got.Samples[i].Predicted, smp.Predicted)
				}
				for k, v := range smp.Logits {
					worst = math.Max(worst, math.Abs(got.Samples[i].Logits[k]-v)/math.Max(1, math.Abs(v)))
				}
			}
			if worst > 1e-5 || got.Metrics.Accuracy != want.Metrics.Accuracy {
				t.Errorf("logits differ by %g, accuracy %v, want %v", worst, got.Metrics.Accuracy, want.Metrics.Accuracy)
			}
			t.Logf("%d samples, accuracy %.1f %%, logits within %.2g; %s", len(want.Samples), 100*got.Metrics.Accuracy, worst, strings.TrimSpace(out.String()))
		})
	}
}

// TestEvaluatesLearntTauNIR evaluates a checkpoint of learnt per-neuron
// time constants (lif-learn-tau-gamma, trained an epoch) and its NIR
// exports: in both forms the logits of every sample are the checkpoint's
// bit for bit (θ comes back exactly in float32). Without spikegrad's
// settings and τ (as another library would write the arrays), the file is
// read as lif-learn-tau with τ_set of its own, says so, and predicts the
// same classes with logits within 1e-5.
func TestEvaluatesLearntTauNIR(t *testing.T) {
	s := runs.DefaultSettings("randman")
	s.Randman.Classes, s.Randman.Units, s.Randman.SamplesPerClass = 3, 10, 40
	s.Randman.TrainPerClass, s.Randman.ValidationPerClass, s.Randman.Window = 30, 5, 20
	s.Steps, s.Hidden, s.Recurrent, s.Epochs, s.Batch, s.Out = 40, []int{12}, true, 1, 30, t.TempDir()
	s.Neuron = "lif-learn-tau-gamma"
	_, dir, err := runner.Execute(context.Background(), &s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(dir, runs.BestFile)
	c, err := runner.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.Settings.Spec(10, 3)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(c.Settings)
	want := evalJSON(t, "--checkpoint", ck)
	same := func(t *testing.T, got Result, tol float64) {
		t.Helper()
		if len(got.Samples) != len(want.Samples) || len(want.Samples) == 0 {
			t.Fatalf("%d samples, want %d", len(got.Samples), len(want.Samples))
		}
		for i, smp := range want.Samples {
			if got.Samples[i].Predicted != smp.Predicted {
				t.Fatalf("sample %d: predicted %d, the checkpoint %d", i, got.Samples[i].Predicted, smp.Predicted)
			}
			for k, v := range smp.Logits {
				if d := math.Abs(got.Samples[i].Logits[k] - v); d > tol*math.Max(1, math.Abs(v)) || tol == 0 && math.Float64bits(v) != math.Float64bits(got.Samples[i].Logits[k]) {
					t.Fatalf("sample %d logit %d: %v from the NIR file, %v from the checkpoint", i, k, got.Samples[i].Logits[k], v)
				}
			}
		}
	}
	for _, target := range []nir.Target{nir.TargetSpikegrad, nir.TargetPeers} {
		t.Run(fmt.Sprintf("target=%q", target), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "model.nir")
			if _, err := nir.ExportWith(file, &nir.Network{Spec: spec, Weights: c.Weights, Settings: js}, nir.ExportOptions{Target: target}); err != nil {
				t.Fatal(err)
			}
			same(t, evalJSON(t, "--checkpoint", file), 0)
		})
	}
	t.Run("without spikegrad's neuron and τ", func(t *testing.T) {
		g, err := (&nir.Network{Spec: spec, Weights: c.Weights}).Graph()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"spikegrad_neuron", "spikegrad_tau_mem", "spikegrad_tau_syn", "spikegrad_tau_readout"} {
			delete(g.Metadata, k)
		}
		// Settings of the LIF, as a run that did not know the model would
		// give: the file's arrays decide the model.
		lif := c.Settings
		lif.Neuron = "lif"
		b, _ := json.Marshal(lif)
		g.Metadata["spikegrad_settings"] = nir.Text(string(b))
		file := filepath.Join(t.TempDir(), "arrays.nir")
		if err := nir.Write(file, g); err != nil {
			t.Fatal(err)
		}
		var out, errs bytes.Buffer
		js := filepath.Join(t.TempDir(), "eval.json")
		if code := run(context.Background(), []string{"--checkpoint", file, "--json", js}, &out, &errs); code != 0 {
			t.Fatalf("exit %d: %s", code, errs.String())
		}
		if !strings.Contains(out.String(), "read as neuron lif-learn-tau") {
			t.Errorf("no note of the model: %s", out.String())
		}
		var got Result
		b, _ = os.ReadFile(js)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		same(t, got, 1e-5)
	})
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"

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

package nir_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/nir"
)

// crosscheck is the report of python/nircheck.py.
type crosscheck struct {
	Error string `json:"error"`
	// --convention peers: each peer's program, or why its importer
	// refuses the file.
	SnnTorchSamples int     `json:"snntorch_samples"`
	NorseSamples    int     `json:"norse_samples"`
	SnnTorchRefused string  `json:"snntorch_refused"`
	Version         string  `json:"version"`
	HiddenSpikes    int     `json:"hidden_spikes"`
	MaxLogitDiff    float64 `json:"max_logit_diff"`
	Rel             float64 `json:"max_logit_rel_diff"`
	Samples         int     `json:"samples"`
}

// runCheck runs python/nircheck.py with args and decodes its report.
func runCheck(t *testing.T, py string, args ...string) crosscheck {
	t.Helper()
	script := filepath.Join("python", "nircheck.py")
	// Reading the script makes it an input of the test for go test's
	// cache, which does not see what a subprocess opens.
	if _, err := os.ReadFile(script); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, append([]string{script}, args...)...).Output()
	var r crosscheck
	if jerr := json.Unmarshal(out, &r); jerr != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("nircheck.py: %v %v: %s%s", err, jerr, out, msg)
	}
	if err != nil || r.Error != "" {
		t.Fatalf("nircheck.py: %v: %s", err, r.Error)
	}
	return r
}

// TestPythonSimulatesExport checks an exported file from another language:
// a Python program that knows only the NIR file and the documented mapping
// reads the file the way the NIR reference reader does, simulates the
// network on a batch and finds spikegrad's hidden spikes (identical) and
// logits (to 1e-5).
func TestPythonSimulatesExport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: simulates exported networks in Python: 9 s")
	}
	py := pyexec.Require(t, "numpy", "h5py")
	for i, a := range archs {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			if dt == tensor.Float32 && i%2 == 1 {
				continue
			}
			t.Run(a.String()+"-"+dt.String(), func(t *testing.T) {
				s, w := testNetwork(t, a, dt, 11)
				dir := t.TempDir()
				path, act := filepath.Join(dir, "net.nir"), filepath.Join(dir, "activity.json")
				if err := nir.Export(path, &nir.Network{Spec: s, Weights: w}); err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(forward(t, s, w, inputs(s, 8, 2)))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(act, b, 0o644); err != nil {
					t.Fatal(err)
				}
				r := runCheck(t, py, path, "--activity", act)
				if r.Version != nir.Version || r.Samples != 8 || len(s.Hidden) > 0 && r.HiddenSpikes == 0 {
					t.Errorf("report %+v", r)
				}
				t.Logf("%d hidden spikes identical, max logit difference %.3g (relative %.3g)", r.HiddenSpikes, r.MaxLogitDiff, r.Rel)
			})
		}
	}
}

// TestPeersSimulateEulerExport checks the export for snnTorch and Norse:
// numpy programs that follow each peer's NIR importer and cell equations,
// reading the graph alone (and the readout's filter from the metadata),
// find the spikes (identical) and logits (1e-5) of a network of the Euler
// discretisation, in both export forms: the peers' (both programs) and
// spikegrad's own, which snnTorch refuses (r = 1) and Norse reads.
func TestPeersSimulateEulerExport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: simulates exported networks in Python")
	}
	py := pyexec.Require(t, "numpy", "h5py")
	for i, a := range archs {
		for _, target := range []nir.Target{nir.TargetPeers, nir.TargetSpikegrad} {
			if target == nir.TargetSpikegrad && i%2 == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%v-%q", a, target), func(t *testing.T) {
				s, w := testNetwork(t, a, tensor.Float64, 13)
				s.Discretisation = "euler"
				dir := t.TempDir()
				path, act := filepath.Join(dir, "net.nir"), filepath.Join(dir, "activity.json")
				warn, err := nir.ExportWith(path, &nir.Network{Spec: s, Weights: w}, nir.ExportOptions{Target: target})
				if err != nil || len(warn) > 0 {
					t.Fatal(err, warn)
				}
				b, err := json.Marshal(forward(t, s, w, inputs(s, 8, 2)))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(act, b, 0o644); err != nil {
					t.Fatal(err)
				}
				dt := "1e-4"
				if target == nir.TargetSpikegrad {
					dt = fmt.Sprint(s.DT) // the file's unit, ms
				}
				r := runCheck(t, py, path, "--activity", act, "--convention", "peers", "--dt", dt)
				if r.NorseSamples != 8 || len(s.Hidden) > 0 && r.HiddenSpikes == 0 {
					t.Errorf("report %+v", r)
				}
				if target == nir.TargetPeers && r.SnnTorchSamples != 8 || target == nir.TargetSpikegrad && len(s.Hidden) > 0 && r.SnnTorchRefused == "" {
					t.Errorf("snnTorch: %d samples, refused %q", r.SnnTorchSamples, r.SnnTorchRefused)
				}
				t.Logf("%d hidden spikes identical, max logit difference %.3g", r.HiddenSpikes, r.MaxLogitDiff)
			})
		}
	}
}

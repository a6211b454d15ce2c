package nir_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/nir"
)

// learntTauNetwork returns a network of lif-learn-tau-gamma: every neuron's
// τ drawn around the settings', as after training (heterogeneous).
func learntTauNetwork(t testing.TB, a arch, dt tensor.Dtype, seed uint64) (network.Spec, *models.Weights) {
	t.Helper()
	s, _ := testNetwork(t, a, dt, seed)
	s.Neuron = learntau.GammaName
	w, err := models.Init(s, seed, dt)
	if err != nil {
		t.Fatal(err)
	}
	return s, w
}

// TestRoundTripLearntTau exports networks with per-neuron time constants in
// both forms and imports them: the spec (model and τ_set), the weights and
// the logits come back bit for bit, θ too in float32; in float64 θ is
// recomputed from the file's τ (Δt/(1 − β)) and comes back to ~1e-12, so
// the logits agree to 1e-9.
func TestRoundTripLearntTau(t *testing.T) {
	for i, a := range archs {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			for _, target := range []nir.Target{nir.TargetSpikegrad, nir.TargetPeers} {
				if dt == tensor.Float64 && (i+len(target))%2 == 0 {
					continue
				}
				t.Run(fmt.Sprintf("%v-%v-%q", a, dt, target), func(t *testing.T) {
					s, w := learntTauNetwork(t, a, dt, 7)
					path := filepath.Join(t.TempDir(), "net.nir")
					warn, err := nir.ExportWith(path, &nir.Network{Spec: s, Weights: w}, nir.ExportOptions{Target: target})
					if err != nil {
						t.Fatal(err)
					}
					// One per layer (the paper's discretisation), and
					// for the peers one of snnTorch's thresholds.
					snn := target == nir.TargetPeers && len(s.Hidden) > 0
					if len(warn) != len(s.Hidden)+1+map[bool]int{true: 1}[snn] || snn && !strings.Contains(warn[len(warn)-1], "snnTorch's NIR importer takes one threshold") {
						t.Errorf("%d warnings: %q", len(warn), warn)
					}
					got, err := nir.Import(path, nir.Options{})
					if err != nil {
						t.Fatal(err)
					}
					g := got.Spec
					if g.Neuron != s.Neuron || g.Inputs != s.Inputs || g.Outputs != s.Outputs || !slices.Equal(g.Hidden, s.Hidden) ||
						g.Recurrent != s.Recurrent || g.Readout != s.Readout || g.Steps != s.Steps || g.DT != s.DT ||
						g.TauSyn != s.TauSyn || g.TauReadout != s.TauReadout || len(s.Hidden) > 0 && g.TauMem != s.TauMem {
						t.Fatalf("spec %+v, want %+v", g, s)
					}
					if !got.Has("tau") || len(got.Notes) > 0 {
						t.Errorf("τ_set not from the metadata (%v), notes %q", got.FromMetadata, got.Notes)
					}
					names := w.Names()
					worst := 0.0
					for k, m := range w.All() {
						h := got.Weights.All()[k]
						if k < len(w.W)+len(w.V) || dt == tensor.Float32 {
							if !m.Eq(h) {
								t.Errorf("%s differs after the round trip", names[k])
							}
							continue
						}
						for j, x := range m.Data().([]float64) {
							worst = math.Max(worst, math.Abs(x-h.Data().([]float64)[j])/math.Max(1, math.Abs(x)))
						}
					}
					if worst > 1e-11 {
						t.Errorf("θ differs by up to %g", worst)
					}
					heterogeneous(t, w)
					x := inputs(s, 5, 1)
					want, have := forward(t, s, w, x), forward(t, g, got.Weights, x)
					tol := 0.0
					if dt == tensor.Float64 {
						tol = 1e-9
					}
					for b := range want.Logits {
						for c, v := range want.Logits[b] {
							if math.Abs(v-have.Logits[b][c]) > tol*math.Max(1, math.Abs(v)) {
								t.Fatalf("logit [%d][%d] = %v after the round trip, want %v", b, c, have.Logits[b][c], v)
							}
						}
					}
				})
			}
		}
	}
}

// heterogeneous fails unless the θ of every layer differ between neurons.
func heterogeneous(t *testing.T, w *models.Weights) {
	t.Helper()
	for _, m := range w.Neuron {
		d := m.Data()
		if m.Shape()[1] > 1 && fmt.Sprint(m.Get(0)) == fmt.Sprint(m.Get(1)) {
			t.Fatalf("homogeneous θ %v", d)
		}
	}
}

// A file whose time constants differ between neurons and carry no
// spikegrad τ (another library's, or edited) is read as lif-learn-tau with
// τ_set the geometric mean of each kind's extremes, with a note: its
// predictions are the original's, its logits equal to float32's rounding
// of the other θ (1e-5).
func TestImportsPerNeuronTimeConstants(t *testing.T) {
	a := arch{[]int{12, 9}, true, network.MaxOverTime}
	s, w := learntTauNetwork(t, a, tensor.Float32, 3)
	g, _, err := (&nir.Network{Spec: s, Weights: w}).GraphFor(nir.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"spikegrad_neuron", "spikegrad_tau_mem", "spikegrad_tau_syn", "spikegrad_tau_readout"} {
		delete(g.Metadata, k)
	}
	got, err := nir.FromGraph(g, nir.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.Neuron != learntau.Name || len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "node lif0.lif: field tau_syn") || got.Has("tau") {
		t.Fatalf("neuron %q, notes %q, from metadata %v", got.Spec.Neuron, got.Notes, got.FromMetadata)
	}
	if got.Spec.TauMem == s.TauMem {
		t.Errorf("τ_mem %g: the geometric mean should differ from the settings'", got.Spec.TauMem)
	}
	x := inputs(s, 8, 4)
	want, have := forward(t, s, w, x), forward(t, got.Spec, got.Weights, x)
	for b := range want.Logits {
		for c, v := range want.Logits[b] {
			if math.Abs(v-have.Logits[b][c]) > 1e-5*math.Max(1, math.Abs(v)) {
				t.Fatalf("logit [%d][%d] = %v, want %v", b, c, have.Logits[b][c], v)
			}
		}
		if argmax(want.Logits[b]) != argmax(have.Logits[b]) {
			t.Errorf("sample %d: class %d, want %d", b, argmax(have.Logits[b]), argmax(want.Logits[b]))
		}
	}
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// TestPythonSimulatesLearntTau hands exports of networks with per-neuron
// time constants to python/nircheck.py, which simulates them with numpy
// from the file's per-neuron arrays (and, for the peers' form, the
// readout's in the metadata) and finds spikegrad's hidden spikes
// (identical) and logits (1e-5).
func TestPythonSimulatesLearntTau(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: simulates exported networks in Python")
	}
	py := pyexec.Require(t, "numpy", "h5py")
	for i, a := range archs {
		for _, target := range []nir.Target{nir.TargetSpikegrad, nir.TargetPeers} {
			dt := tensor.Float64
			if i%2 == 1 {
				dt = tensor.Float32
			}
			t.Run(fmt.Sprintf("%v-%v-%q", a, dt, target), func(t *testing.T) {
				s, w := learntTauNetwork(t, a, dt, 17)
				dir := t.TempDir()
				path, act := filepath.Join(dir, "net.nir"), filepath.Join(dir, "activity.json")
				if _, err := nir.ExportWith(path, &nir.Network{Spec: s, Weights: w}, nir.ExportOptions{Target: target}); err != nil {
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
				if r.Samples != 8 || len(s.Hidden) > 0 && r.HiddenSpikes == 0 {
					t.Errorf("report %+v", r)
				}
				t.Logf("%d hidden spikes identical, max logit difference %.3g (relative %.3g)", r.HiddenSpikes, r.MaxLogitDiff, r.Rel)
			})
		}
	}
}

// The readout of a peers' file of learnt time constants is in the
// metadata, one τ per neuron as text: a wrong count, a value that is no
// number or not longer than the step is refused, naming the weights node
// and the key.
func TestRefusesBadReadoutArrays(t *testing.T) {
	s, w := learntTauNetwork(t, arch{[]int{12}, false, network.MaxOverTime}, tensor.Float32, 1)
	for name, c := range map[string]struct {
		value string
		want  string
	}{
		"count":    {"0.001 0.002 0.003", "or 4 of them"},
		"NaN":      {"0.001 NaN 0.002 0.002", "NaN at 1"},
		"negative": {"0.001 0.002 -0.002 0.002", "-0.002 at 2"},
		"text":     {"0.001 0.002 x 0.002", "or 4 of them"},
	} {
		t.Run(name, func(t *testing.T) {
			g, _, err := (&nir.Network{Spec: s, Weights: w}).GraphFor(nir.ExportOptions{Target: nir.TargetPeers})
			if err != nil {
				t.Fatal(err)
			}
			g.Metadata["readout_tau_mem"] = nir.Text(c.value)
			_, err = nir.FromGraph(g, nir.Options{})
			if err == nil || !strings.Contains(err.Error(), "node fc_out") || !strings.Contains(err.Error(), "readout_tau_mem") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v, want an error naming node fc_out, readout_tau_mem and %q", err, c.want)
			}
		})
	}
}

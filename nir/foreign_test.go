package nir_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
)

// TestImportsForeignFile imports files written with h5py the way other
// libraries write NIR (python/foreign.py: the reference writer's variable-
// length strings and gzip-compressed arrays, float32 Affine weights with a
// zero bias, per-neuron arrays, snnTorch's r = τ_mem/Δt and w_in = τ_syn/Δt
// with Δt = 10⁻⁴, threshold 0.8, a recurrent layer as snnTorch's subgraph,
// no metadata) and evaluates them: the network has spikegrad's spikes and
// logits.
func TestImportsForeignFile(t *testing.T) {
	py := pyexec.Require(t, "numpy", "h5py")
	script := filepath.Join("python", "foreign.py")
	for _, f := range []string{script, filepath.Join("python", "nircheck.py")} {
		if _, err := os.ReadFile(f); err != nil { // an input of the test, for its cache
			t.Fatal(err)
		}
	}
	for _, a := range []arch{{[]int{12, 9}, true, network.MaxOverTime}, {[]int{12}, false, network.SumOverTime}, {nil, false, network.MaxOverTime}} {
		t.Run(a.String(), func(t *testing.T) {
			s, w := testNetwork(t, a, tensor.Float32, 21)
			dir := t.TempDir()
			ours, theirs := filepath.Join(dir, "spikegrad.nir"), filepath.Join(dir, "foreign.nir")
			if err := nir.Export(ours, &nir.Network{Spec: s, Weights: w}); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(py, script, ours, theirs).CombinedOutput(); err != nil {
				t.Fatalf("foreign.py: %v: %s", err, out)
			}
			if _, err := nir.Import(theirs, nir.Options{}); err == nil || !strings.Contains(err.Error(), "dt") {
				t.Errorf("without a time step: error %v, want one about dt", err)
			}
			// Without a word, a file from another library runs as the
			// peers run it, by explicit Euler, and says so.
			euler, err := nir.Import(theirs, nir.Options{DT: 1e-4})
			if err != nil {
				t.Fatal(err)
			}
			if euler.Spec.Discretisation != "euler" || len(euler.Notes) == 0 || !strings.Contains(euler.Notes[0], "euler") {
				t.Errorf("discretisation %q, notes %q: want euler, with a note", euler.Spec.Discretisation, euler.Notes)
			}
			// This one was written from a network of the paper's
			// discretisation: told so, the import has its spikes.
			got, err := nir.Import(theirs, nir.Options{DT: 1e-4, Discretisation: "paper"})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range [][2]float64{{euler.Spec.LayerDecay(0, euler.Spec.TauSyn), got.Spec.Decay(got.Spec.TauSyn)},
				{euler.Spec.LayerDecay(len(s.Hidden), euler.Spec.TauReadout), got.Spec.Decay(got.Spec.TauReadout)}} {
				if math.Abs(p[0]-p[1]) > 1e-12 {
					t.Errorf("Euler decay %v, paper decay %v: want the file's decay under both", p[0], p[1])
				}
			}
			g := got.Spec
			if len(g.Hidden) != len(s.Hidden) || g.Recurrent != s.Recurrent || len(got.FromMetadata) != 0 || got.Settings != nil {
				t.Fatalf("network %+v (from metadata %v)", g, got.FromMetadata)
			}
			// The decays are spikegrad's, on the file's time grid.
			pairs := [][2]float64{{s.Decay(s.TauSyn), g.Decay(g.TauSyn)}, {s.Decay(s.TauReadout), g.Decay(g.TauReadout)}}
			if len(s.Hidden) > 0 {
				pairs = append(pairs, [2]float64{s.Decay(s.TauMem), g.Decay(g.TauMem)})
			}
			for _, p := range pairs {
				if math.Abs(p[0]-p[1]) > 1e-12 {
					t.Errorf("decay %v, want %v", p[1], p[0])
				}
			}
			g.Steps, g.Readout = s.Steps, s.Readout // what the file does not record
			x := inputs(s, 8, 4)
			ref, act := forward(t, s, w, x), forward(t, g, got.Weights, x)
			spikes := 0.0
			for l := range ref.Spikes {
				for b := range ref.Spikes[l] {
					for n := range ref.Spikes[l][b] {
						for i, v := range ref.Spikes[l][b][n] {
							spikes += v
							if act.Spikes[l][b][n][i] != v {
								t.Fatalf("layer %d sample %d step %d neuron %d: spike %v, want %v", l, b, n, i, act.Spikes[l][b][n][i], v)
							}
						}
					}
				}
			}
			worst := 0.0
			for b := range ref.Logits {
				for c, v := range ref.Logits[b] {
					worst = math.Max(worst, math.Abs(act.Logits[b][c]-v)/math.Max(1, math.Abs(v)))
				}
			}
			if worst > 1e-5 || len(s.Hidden) > 0 && spikes == 0 {
				t.Errorf("logits differ by %g, %v hidden spikes", worst, spikes)
			}
			t.Logf("%v hidden spikes identical, logits within %.2g", spikes, worst)
		})
	}
}

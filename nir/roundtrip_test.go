package nir_test

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/nir"
)

// TestRoundTrip exports every architecture in both dtypes, imports it and
// checks that the weights, the network and the logits of the model graph
// come back bit for bit.
func TestRoundTrip(t *testing.T) {
	for _, a := range archs {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			t.Run(a.String()+"-"+dt.String(), func(t *testing.T) {
				s, w := testNetwork(t, a, dt, 5)
				path := filepath.Join(t.TempDir(), "net.nir")
				settings := []byte(`{"Dataset":"randman"}`)
				if err := nir.Export(path, &nir.Network{Spec: s, Weights: w, Settings: settings}); err != nil {
					t.Fatal(err)
				}
				got, err := nir.Import(path, nir.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if string(got.Settings) != string(settings) {
					t.Errorf("settings %q", got.Settings)
				}
				g := got.Spec
				if g.Inputs != s.Inputs || g.Outputs != s.Outputs || !slices.Equal(g.Hidden, s.Hidden) ||
					g.Recurrent != s.Recurrent || g.Readout != s.Readout || g.Steps != s.Steps || g.DT != s.DT ||
					g.TauSyn != s.TauSyn || g.TauReadout != s.TauReadout || len(s.Hidden) > 0 && g.TauMem != s.TauMem {
					t.Fatalf("spec %+v, want %+v", g, s)
				}
				for _, m := range []string{"dt", "steps", "readout", "tau"} {
					if !got.Has(m) {
						t.Errorf("%s not taken from the metadata (%v)", m, got.FromMetadata)
					}
				}
				if len(got.Weights.All()) != len(w.All()) {
					t.Fatalf("%d matrices, want %d", len(got.Weights.All()), len(w.All()))
				}
				for i, m := range w.All() {
					if !m.Eq(got.Weights.All()[i]) {
						t.Errorf("%s differs after the round trip", w.Names()[i])
					}
				}
				x := inputs(s, 5, 1)
				want, have := forward(t, s, w, x), forward(t, g, got.Weights, x)
				spikes := 0.0
				for l := range want.Spikes {
					for b := range want.Spikes[l] {
						for n := range want.Spikes[l][b] {
							for _, v := range want.Spikes[l][b][n] {
								spikes += v
							}
						}
					}
				}
				if len(s.Hidden) > 0 && spikes == 0 {
					t.Fatal("no hidden spikes: the test network is silent")
				}
				for b := range want.Logits {
					for c, v := range want.Logits[b] {
						if math.Float64bits(v) != math.Float64bits(have.Logits[b][c]) {
							t.Fatalf("logit [%d][%d] = %v after the round trip, want %v", b, c, have.Logits[b][c], v)
						}
					}
				}
			})
		}
	}
}

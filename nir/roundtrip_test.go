package nir_test

import (
	"fmt"
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
//
// It does so for the paper's discretisation in spikegrad's form, and for
// the Euler discretisation in spikegrad's form and in the peers' (time in
// seconds, no readout node).
func TestRoundTrip(t *testing.T) {
	forms := []struct {
		disc string
		opt  nir.ExportOptions
	}{{"paper", nir.ExportOptions{}}, {"euler", nir.ExportOptions{}}, {"euler", nir.ExportOptions{Target: nir.TargetPeers}}}
	for i, a := range archs {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			form := forms[i%len(forms)]
			if dt == tensor.Float64 {
				form = forms[(i+1)%len(forms)]
			}
			t.Run(fmt.Sprintf("%v-%v-%s-%s", a, dt, form.disc, form.opt.Target), func(t *testing.T) {
				s, w := testNetwork(t, a, dt, 5)
				s.Discretisation = form.disc
				path := filepath.Join(t.TempDir(), "net.nir")
				settings := []byte(`{"Dataset":"randman"}`)
				warn, err := nir.ExportWith(path, &nir.Network{Spec: s, Weights: w, Settings: settings}, form.opt)
				if err != nil {
					t.Fatal(err)
				}
				if (len(warn) > 0) != (form.disc == "paper") {
					t.Errorf("warnings %q for the %s discretisation", warn, form.disc)
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
					g.Recurrent != s.Recurrent || g.Readout != s.Readout || g.Steps != s.Steps || g.DT != s.DT || g.Discretisation != s.Discretisation ||
					g.TauSyn != s.TauSyn || g.TauReadout != s.TauReadout || len(s.Hidden) > 0 && g.TauMem != s.TauMem {
					t.Fatalf("spec %+v, want %+v", g, s)
				}
				for _, m := range []string{"dt", "steps", "readout", "tau", "discretisation"} {
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

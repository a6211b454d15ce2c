package runner_test

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/nir"
	runs "github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
)

// exportNIR writes the checkpoint at ck as a NIR file, as cmd/export does;
// settings, if not nil, replace the checkpoint's in the file.
func exportNIR(t *testing.T, ck string, settings *runs.Settings, withSettings bool) string {
	t.Helper()
	c, err := runner.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	if settings == nil {
		settings = &c.Settings
	}
	spec, err := c.Settings.Spec(c.Weights.W[0].Shape()[0], c.Weights.W[len(c.Weights.W)-1].Shape()[1])
	if err != nil {
		t.Fatal(err)
	}
	n := &nir.Network{Spec: spec, Weights: c.Weights}
	if withSettings {
		if n.Settings, err = json.Marshal(settings); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "model.nir")
	if err := nir.Export(path, n); err != nil {
		t.Fatal(err)
	}
	return path
}

func trained(t *testing.T) (*runs.Settings, string) {
	t.Helper()
	s := smallSettings(t)
	s.Epochs, s.Recurrent = 1, true
	_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(dir, runs.BestFile)
}

func TestLoadNetworkReadsNIR(t *testing.T) {
	s, ck := trained(t)
	want, err := runner.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	// A file from cmd/export restores the run's settings and weights.
	got, err := runner.LoadNetwork(exportNIR(t, ck, nil, true), nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := want.Settings.YAML()
	b, _ := got.Settings.YAML()
	if string(a) != string(b) {
		t.Errorf("settings after the NIR round trip:\n%s\nwant\n%s", b, a)
	}
	for i, m := range want.Weights.All() {
		if !m.Eq(got.Weights.All()[i]) {
			t.Errorf("%s differs", want.Weights.Names()[i])
		}
	}
	// A file without settings needs a data set's.
	bare := exportNIR(t, ck, nil, false)
	if _, err := runner.LoadNetwork(bare, nil); err == nil || !strings.Contains(err.Error(), "data set") {
		t.Errorf("no settings: %v", err)
	}
	base := runs.DefaultSettings("randman")
	base.Hidden, base.DT, base.LR = []int{3}, 2, 0.5
	got, err = runner.LoadNetwork(bare, &base)
	if err != nil {
		t.Fatal(err)
	}
	// The network is the file's, its time constants keep their decay per
	// step on the 2 ms grid of the base settings; the rest is the base's.
	g := got.Settings
	if !reflect.DeepEqual(g.Hidden, s.Hidden) || !g.Recurrent || g.LR != 0.5 || g.DT != 2 ||
		math.Abs(g.TauMem-2*s.TauMem) > 1e-12 || math.Abs(g.TauSyn-2*s.TauSyn) > 1e-12 || g.Steps != s.Steps {
		t.Errorf("settings from a file without settings: %+v", g)
	}
	// .npz files pass through.
	if c, err := runner.LoadNetwork(ck, nil); err != nil || !c.Weights.W[0].Eq(want.Weights.W[0]) {
		t.Errorf("npz: %v", err)
	}
}

// TestResumeFromNIR fine-tunes a NIR file: the run takes the file's network
// (whatever its own hidden layers and time constants say) and starts from
// the file's weights.
func TestResumeFromNIR(t *testing.T) {
	s, ck := trained(t)
	file := exportNIR(t, ck, nil, true)
	r := smallSettings(t)
	r.Epochs, r.Hidden, r.TauMem, r.LR, r.Resume = 1, []int{5}, 30, 1e-9, file
	rec, dir, err := runner.Execute(context.Background(), r, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Settings.Hidden, s.Hidden) || !rec.Settings.Recurrent || rec.Settings.TauMem != s.TauMem {
		t.Errorf("resumed run's network: hidden %v, recurrent %v, τ_mem %v", rec.Settings.Hidden, rec.Settings.Recurrent, rec.Settings.TauMem)
	}
	start, _ := runner.LoadCheckpoint(ck)
	last, err := runner.LoadCheckpoint(filepath.Join(dir, runs.LastFile))
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range start.Weights.All() {
		if d := maxDiff(m.Data().([]float32), last.Weights.All()[i].Data().([]float32)); d > 1e-6 {
			t.Errorf("%s moved by %g with a learning rate of 1e-9: training did not start from the file", start.Weights.Names()[i], d)
		}
	}
	// A file trained on another data set is refused.
	other := runs.DefaultSettings("shd")
	r = smallSettings(t)
	r.Resume = exportNIR(t, ck, &other, true)
	if _, _, err := runner.Execute(context.Background(), r, runner.Hooks{}); err == nil || !strings.Contains(err.Error(), "was trained on shd") {
		t.Errorf("other data set: %v", err)
	}
}

func maxDiff(a, b []float32) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// TestResumeFromForeignNIR fine-tunes a file as another library writes it
// (time constants in seconds, no metadata) with --resume-dt: the run takes
// its network with the Euler discretisation, and its log and record say so.
func TestResumeFromForeignNIR(t *testing.T) {
	_, ck := trained(t)
	c, err := runner.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := c.Settings.Spec(c.Weights.W[0].Shape()[0], c.Weights.W[len(c.Weights.W)-1].Shape()[1])
	if err != nil {
		t.Fatal(err)
	}
	g, err := (&nir.Network{Spec: spec, Weights: c.Weights}).Graph()
	if err != nil {
		t.Fatal(err)
	}
	g.Metadata = nil
	for _, n := range g.Nodes {
		for _, k := range []string{"tau_syn", "tau_mem"} {
			if a, ok := n.Params[k]; ok {
				for i := range a.Data {
					a.Data[i] *= 1e-3 // ms to s
				}
			}
		}
	}
	file := filepath.Join(t.TempDir(), "foreign.nir")
	if err := nir.Write(file, g); err != nil {
		t.Fatal(err)
	}
	r := smallSettings(t)
	r.Epochs, r.LR, r.Resume = 1, 1e-9, file
	if _, _, err := runner.Execute(context.Background(), r, runner.Hooks{}); err == nil || !strings.Contains(err.Error(), "--resume-dt") {
		t.Errorf("without resume-dt: %v", err)
	}
	r = smallSettings(t)
	r.Epochs, r.LR, r.Resume, r.ResumeDT = 1, 1e-9, file, 1e-3
	var notes []string
	rec, _, err := runner.Execute(context.Background(), r, runner.Hooks{Note: func(s string) { notes = append(notes, s) }})
	if err != nil {
		t.Fatal(err)
	}
	want := spec.DT / (1 - spec.Decay(spec.TauMem)) // the file's τ_mem, Euler-matched
	if rec.Settings.Discretisation != "euler" || math.Abs(rec.Settings.TauMem-want) > 1e-9*want {
		t.Errorf("discretisation %q, τ_mem %v (want euler, %v)", rec.Settings.Discretisation, rec.Settings.TauMem, want)
	}
	if len(rec.Resumes) != 1 || len(rec.Resumes[0].Notes) < 2 || !strings.Contains(strings.Join(rec.Resumes[0].Notes, " "), "euler") {
		t.Errorf("record's resume %+v", rec.Resumes)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "euler") {
		t.Errorf("log notes %q", notes)
	}
}

// TestResumeFromLearntTauNIR fine-tunes a NIR file of learnt per-neuron
// time constants from a run of the LIF: the run takes the file's model
// with its network, and starts from the file's θ.
func TestResumeFromLearntTauNIR(t *testing.T) {
	s := smallSettings(t)
	s.Epochs, s.Recurrent, s.Neuron = 1, true, "lif-learn-tau-gamma"
	_, dir, err := runner.Execute(context.Background(), s, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(dir, runs.BestFile)
	r := smallSettings(t)
	r.Epochs, r.LR, r.Resume = 1, 1e-9, exportNIR(t, ck, nil, true)
	rec, dir, err := runner.Execute(context.Background(), r, runner.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Settings.Neuron != s.Neuron {
		t.Errorf("resumed run's neuron %q, want the file's %q", rec.Settings.Neuron, s.Neuron)
	}
	start, _ := runner.LoadCheckpoint(ck)
	last, err := runner.LoadCheckpoint(filepath.Join(dir, runs.LastFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(start.Weights.Neuron) == 0 || len(last.Weights.All()) != len(start.Weights.All()) {
		t.Fatalf("%d arrays resumed, %d in the file (%d θ)", len(last.Weights.All()), len(start.Weights.All()), len(start.Weights.Neuron))
	}
	for i, m := range start.Weights.All() {
		if d := maxDiff(m.Data().([]float32), last.Weights.All()[i].Data().([]float32)); d > 1e-6 {
			t.Errorf("%s moved by %g with a learning rate of 1e-9: training did not start from the file", start.Weights.Names()[i], d)
		}
	}
}

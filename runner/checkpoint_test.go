package runner_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/metrics"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/run"
	"github.com/spikegrad/spikegrad/runner"
	"github.com/spikegrad/spikegrad/train"
)

func TestCheckpointRoundTrip(t *testing.T) {
	for _, dt := range []string{"float32", "float64"} {
		s := run.DefaultSettings("randman")
		s.Hidden, s.Recurrent, s.DType = []int{12, 7}, true, dt
		spec, err := s.Spec(20, 10)
		if err != nil {
			t.Fatal(err)
		}
		dtype := map[string]tensor.Dtype{"float32": tensor.Float32, "float64": tensor.Float64}[dt]
		w, err := models.Init(spec, 9, dtype)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "w.npz")
		if err := runner.SaveCheckpoint(path, &runner.Checkpoint{Settings: s, Weights: w}); err != nil {
			t.Fatal(err)
		}
		ck, err := runner.LoadCheckpoint(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(ck.Weights.All()) != 5 {
			t.Fatalf("%s: %d matrices, want 5", dt, len(ck.Weights.All()))
		}
		for i, m := range ck.Weights.All() {
			if !m.Eq(w.All()[i]) {
				t.Errorf("%s: matrix %s differs after the round trip", dt, w.Names()[i])
			}
		}
		if ck.Settings.Recurrent != true || ck.Settings.Hidden[1] != 7 || ck.Settings.DType != dt {
			t.Errorf("settings after the round trip: %+v", ck.Settings)
		}
	}
}

func TestCheckpointRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	s := run.DefaultSettings("randman")
	spec, _ := s.Spec(20, 10)
	w, _ := models.Init(spec, 1, tensor.Float32)
	good := filepath.Join(dir, "good.npz")
	if err := runner.SaveCheckpoint(good, &runner.Checkpoint{Settings: s, Weights: w}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	other := s
	other.Hidden = []int{50}
	mismatched := filepath.Join(dir, "mismatched.npz")
	if err := runner.SaveCheckpoint(mismatched, &runner.Checkpoint{Settings: other, Weights: w}); err != nil { // settings say 50, weights have 100
		t.Fatal(err)
	}
	files := map[string][]byte{
		"truncated.npz": data[:len(data)/2],
		"text.npz":      []byte("lr: 0.1\n"),
		"empty.npz":     nil,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"truncated.npz", "text.npz", "empty.npz", "missing.npz", "mismatched.npz"} {
		_, err := runner.LoadCheckpoint(filepath.Join(dir, name))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: want an error naming the file, got %v", name, err)
		}
	}
}

// TestCheckpointSurvivesKill kills a process in the middle of rewriting a
// large checkpoint, again and again: the file on disk must always load.
func TestCheckpointSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "best.npz")
	interrupted := 0
	for round := 0; round < 4; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=TestHelperWriteCheckpoints")
		cmd.Env = append(os.Environ(), "SPIKEGRAD_HELPER_CHECKPOINT="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := os.Stat(path); err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(20+37*round) * time.Millisecond) // land somewhere inside a write
		cmd.Process.Kill()
		cmd.Wait()
		if _, err := runner.LoadCheckpoint(path); err != nil {
			t.Fatalf("round %d: checkpoint unreadable after a kill: %v", round, err)
		}
		// A leftover temporary file shows the kill landed inside a write.
		if tmps, _ := filepath.Glob(filepath.Join(dir, ".best.npz.tmp*")); len(tmps) > 0 {
			interrupted++
			for _, f := range tmps {
				os.Remove(f)
			}
		}
	}
	if interrupted == 0 {
		t.Error("no kill landed inside a write: the test exercised nothing")
	}
}

// TestHelperWriteCheckpoints is run as a subprocess by
// TestCheckpointSurvivesKill; it rewrites a big checkpoint forever.
func TestHelperWriteCheckpoints(t *testing.T) {
	path := os.Getenv("SPIKEGRAD_HELPER_CHECKPOINT")
	if path == "" {
		t.Skip("helper process only")
	}
	s := run.DefaultSettings("randman")
	s.Hidden = []int{2000, 1000}
	spec, _ := s.Spec(20, 10)
	for seed := uint64(0); ; seed++ {
		w, _ := models.Init(spec, seed, tensor.Float64)
		if err := runner.SaveCheckpoint(path, &runner.Checkpoint{Settings: s, Weights: w}); err != nil {
			t.Fatal(err)
		}
	}
}

// The training state of last.npz survives the round trip exactly, and a
// network without hidden layers (whose only matrix is Wout) loads too.
func TestCheckpointStateRoundTrip(t *testing.T) {
	for _, hidden := range [][]int{{6}, nil} {
		s := run.DefaultSettings("randman")
		s.Hidden, s.DType = hidden, "float64"
		spec, err := s.Spec(20, 10)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := models.Init(spec, 1, tensor.Float64)
		m, _ := models.Init(spec, 2, tensor.Float64)
		v, _ := models.Init(spec, 3, tensor.Float64)
		best, _ := models.Init(spec, 4, tensor.Float64)
		st := &train.State{Epoch: 2, BestEpoch: 1, Best: best, Order: []byte("pcg:0123456789abcdef"),
			History: []metrics.Epoch{{Epoch: 1, Train: metrics.Metrics{N: 3, Loss: 0.1}}, {Epoch: 2, Duration: 7}},
			Solver:  train.SolverState{Step: 12, M: m.All(), V: v.All()}}
		resumes := []run.Resume{{From: "a/last.npz", Epoch: 1, Exact: true}}
		path := filepath.Join(t.TempDir(), "last.npz")
		if err := runner.SaveCheckpoint(path, &runner.Checkpoint{Settings: s, Weights: w, State: st, Resumes: resumes}); err != nil {
			t.Fatal(err)
		}
		ck, err := runner.LoadCheckpoint(path)
		if err != nil {
			t.Fatalf("hidden %v: %v", hidden, err)
		}
		got := ck.State
		if got == nil || got.Epoch != 2 || got.BestEpoch != 1 || string(got.Order) != string(st.Order) ||
			got.Solver.Step != 12 || !reflect.DeepEqual(got.History, st.History) || !reflect.DeepEqual(ck.Resumes, resumes) {
			t.Fatalf("hidden %v: state %+v, resumes %+v", hidden, got, ck.Resumes)
		}
		for i := range w.All() {
			for _, pair := range [][2]*tensor.Dense{{w.All()[i], ck.Weights.All()[i]}, {m.All()[i], got.Solver.M[i]},
				{v.All()[i], got.Solver.V[i]}, {best.All()[i], got.Best.All()[i]}} {
				if !reflect.DeepEqual(pair[0].Data(), pair[1].Data()) {
					t.Errorf("hidden %v: matrix %d differs after the round trip", hidden, i)
				}
			}
		}
	}
}

// TestHostileCheckpoints reads every checkpoint of the hostile corpus: the
// crafted ones fail with an error that names the file, the entry and what
// is wrong, before anything large is allocated and without a panic; the
// ones NumPy re-saved (np.savez names, compressed, Fortran order, float64,
// big-endian) and a header without its newline read as the same network.
func TestHostileCheckpoints(t *testing.T) {
	dir := filepath.Join(corpusDir, "checkpoint")
	good, err := runner.LoadCheckpoint(filepath.Join(dir, "good.npz"))
	if err != nil {
		t.Fatal(err)
	}
	same := []string{"header-no-newline.npz", "fortran-order.npz", "numpy-savez.npz", "numpy-savez-compressed.npz",
		"numpy-fortran-order.npz", "numpy-big-endian.npz", "numpy-float64.npz", "state-good.npz"}
	for _, name := range same {
		ck, err := runner.LoadCheckpoint(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i, m := range ck.Weights.All() {
			want := good.Weights.All()[i].Data().([]float32)
			for j := range want {
				var got float64
				switch d := m.Data().(type) {
				case []float32:
					got = float64(d[j])
				case []float64:
					got = d[j]
				}
				if got != float64(want[j]) {
					t.Errorf("%s: %s[%d] = %v, want %v", name, ck.Weights.Names()[i], j, got, want[j])
					break
				}
			}
		}
	}
	refused := map[string][]string{
		"header-v2-4gib.npz":               {"array W0", "declares 4294967295 bytes"},
		"header-cut.npz":                   {"array W0", "shape"},
		"header-unterminated.npz":          {"array W0", "unterminated string"},
		"header-garbage.npz":               {"array W0", "want a dictionary"},
		"header-empty.npz":                 {"array W0", "want a dictionary"},
		"shape-1e9x100.npz":                {"W0", "1000000000 inputs"},
		"shape-wide.npz":                   {"array W0", "shape [12 8000000]", "imply [12 8]"},
		"data-short.npz":                   {"array W0", "declares 384 bytes of data", "holds 50"},
		"dtype-int.npz":                    {"array W0", `dtype "<i4" is not float32 or float64`},
		"dtype-object.npz":                 {"array W0", `"|O"`},
		"nan-weights.npz":                  {"array W0", "NaN at row 3, column 5", "not finite"},
		"inf-weights.npz":                  {"array Wout", "+Inf at row 1, column 3"},
		"numpy-nan.npz":                    {"array W0", "NaN at row 2, column 3"},
		"duplicate-names.npz":              {`two arrays named "W0"`},
		"settings-randman-samples-2e8.npz": {"array settings", "randman-samples: want ≤ 100000000"},
		"settings-steps-2e9.npz":           {"array settings", "steps: want ≤ 1000000"},
		"settings-dt-1e-300.npz":           {"array settings", "dt: want a time step"},
		"settings-zip-bomb.npz":            {"array settings", "4194304 characters"},
		"settings-size-lie.npz":            {"array settings", "the entry holds"},
		"settings-not-json.npz":            {"array settings", "invalid character"},
		"state-nan-adam.npz":               {"array adam_m_W0", "NaN at row 0, column 0"},
		"state-inconsistent.npz":           {"array state", "inconsistent training state"},
		"not-a-zip.npz":                    {"not a readable .npz file"},
		"entries-declared.npz":             {"a zip archive of 65534 entries"},
	}
	if mem, _ := run.MachineMemory(); mem > 0 && mem < 64<<30 {
		refused["settings-hidden-100000x2.npz"] = []string{"array settings", "hidden = [100000 100000]", "1e+10 weights"}
	}
	for name, want := range refused {
		path := filepath.Join(dir, name)
		_, err := runner.LoadCheckpoint(path)
		if err == nil {
			t.Errorf("%s: loaded, want an error", name)
			continue
		}
		for _, w := range append(want, path) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", name, err, w)
			}
		}
		if strings.Contains(err.Error(), "reader failure") {
			t.Errorf("%s: the reader panicked: %v", name, err)
		}
	}
	// A zip of 5000 entries is refused before they are read.
	var many []zipEntry
	for i := 0; i < 5000; i++ {
		many = append(many, zipEntry{name: fmt.Sprint(i)})
	}
	manyPath := filepath.Join(t.TempDir(), "many.npz")
	writeZip(t, manyPath, many)
	if _, err := runner.LoadCheckpoint(manyPath); err == nil || !strings.Contains(err.Error(), "a zip archive of 5000 entries") {
		t.Errorf("5000 entries: %v", err)
	}
	// Valid settings of a data set too large for this machine load; the
	// memory estimate refuses them before the data set is generated.
	ck, err := runner.LoadCheckpoint(filepath.Join(dir, "settings-randman-samples-5e7.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ck.Settings.CheckMemory(); err == nil || !strings.Contains(err.Error(), "randman-samples") {
		t.Errorf("randman-samples = 5e7: memory check %v, want an error naming randman-samples", err)
	}
}

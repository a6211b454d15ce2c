package nir_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/pyexec"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
)

// Time constants equal in float32 but not in float64, as snnTorch writes
// them (τ = Δt/(1 − α) of a float32 α, in float32 in one layer and
// float64 in another), are one value; a real difference is refused.
func TestAcceptsFloat32EqualTimeConstants(t *testing.T) {
	s, w := testNetwork(t, arch{[]int{12, 9}, true, network.MaxOverTime}, tensor.Float32, 1)
	s.Discretisation = "euler"
	for _, c := range []struct {
		rel float64
		ok  bool
	}{{1.19e-7, true}, {2.4e-7, true}, {1e-4, false}} {
		g, _, err := (&nir.Network{Spec: s, Weights: w}).GraphFor(nir.ExportOptions{Target: nir.TargetPeers})
		if err != nil {
			t.Fatal(err)
		}
		g.Nodes["lif1.lif"].Params["tau_syn"].Data[3] *= 1 + c.rel
		g.Nodes["lif0.lif"].Params["tau_mem"].Data[0] *= 1 - c.rel
		_, err = nir.FromGraph(g, nir.Options{})
		if (err == nil) != c.ok || err != nil && !strings.Contains(err.Error(), "tau_") {
			t.Errorf("relative difference %g: %v, want ok = %v", c.rel, err, c.ok)
		}
	}
}

// A hostile name is cut in the error, not echoed whole.
func TestErrorsCutLongNames(t *testing.T) {
	s, w := testNetwork(t, arch{[]int{12}, false, network.MaxOverTime}, tensor.Float32, 1)
	g, err := (&nir.Network{Spec: s, Weights: w}).Graph()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("n", 1<<20)
	g.Edges = append(g.Edges, [2]string{long, "output"})
	_, err = nir.FromGraph(g, nir.Options{})
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "nnnn…") {
		t.Errorf("error of %d bytes: %.300v", len(err.Error()), err)
	}
	// In a file: an edge naming a node of a mebibyte (h5py writes it).
	py := pyexec.Require(t, "numpy", "h5py")
	path := filepath.Join(t.TempDir(), "long.nir")
	if err := nir.Export(path, &nir.Network{Spec: s, Weights: w}); err != nil {
		t.Fatal(err)
	}
	script := `import h5py, sys
with h5py.File(sys.argv[1], "r+") as f:
    e = [[a.decode(), b.decode()] for a, b in f["node/edges"][()]]
    e.append(["n" * (1 << 20), "output"])
    del f["node/edges"]
    f.create_dataset("node/edges", data=e, dtype=h5py.string_dtype())
`
	if out, err := exec.Command(py, "-c", script, path).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := nir.Import(path, nir.Options{}); err == nil || len(err.Error()) > 400+len(path) {
		t.Errorf("import: %.400v", err)
	} else {
		t.Logf("%v", err)
	}
}

// float16 parameters (NIR allows them) get an error naming the data set
// and the type, not a panic.
func TestFloat16IsNamed(t *testing.T) {
	py := pyexec.Require(t, "numpy", "h5py")
	s, w := testNetwork(t, arch{[]int{12}, false, network.MaxOverTime}, tensor.Float32, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "net.nir")
	if err := nir.Export(path, &nir.Network{Spec: s, Weights: w}); err != nil {
		t.Fatal(err)
	}
	script := `import h5py, numpy as np, sys
with h5py.File(sys.argv[1], "r+") as f:
    w = f["node/nodes/fc0/weight"][()]
    del f["node/nodes/fc0/weight"]
    f["node/nodes/fc0/weight"] = w.astype(np.float16)
`
	if out, err := exec.Command(py, "-c", script, path).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	_, err := nir.Import(path, nir.Options{})
	if err == nil || !strings.Contains(err.Error(), "fc0/weight") || !strings.Contains(err.Error(), "float16") {
		t.Errorf("float16 weights: %v", err)
	}
}

package nir_test

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/nir"
)

// TestRefusesWhatSpikegradCannotRepresent edits exported graphs into what
// spikegrad cannot represent or what is broken, writes and imports them,
// and checks that each error names the file, the node and the field.
func TestRefusesWhatSpikegradCannotRepresent(t *testing.T) {
	ff := arch{[]int{12, 9}, false, network.MaxOverTime}
	rec := arch{[]int{12, 9}, true, network.MaxOverTime}
	type edit struct {
		arch arch
		want []string // in the error, besides the file name
		edit func(g *nir.Graph)
	}
	param := func(g *nir.Graph, node, field string) nir.Array { return g.Nodes[node].Params[field] }
	cases := map[string]edit{
		"unknown node type": {ff, []string{"node lif0.lif", `type "LIF"`}, func(g *nir.Graph) { g.Nodes["lif0.lif"].Type = "LIF" }},
		"cycle": {ff, []string{"cycle", "fc0 → lif0.lif → fc1 → lif1.lif → fc0"}, func(g *nir.Graph) {
			g.Edges = append(g.Edges, [2]string{"lif1.lif", "fc0"})
		}},
		"loop through two nodes": {ff, []string{"cycle", "lif0.lif → fc1 → lif0.lif"}, func(g *nir.Graph) {
			g.Edges = append(g.Edges, [2]string{"fc1", "lif0.lif"})
		}},
		"weight shape": {ff, []string{"node fc1", "field weight", "shape [9 11]"}, func(g *nir.Graph) {
			g.Nodes["fc1"].Params["weight"] = nir.Array{Shape: []int{9, 11}, Data: make([]float64, 99)}
		}},
		"missing field":  {ff, []string{"node lif0.lif", "field tau_mem", "missing"}, func(g *nir.Graph) { delete(g.Nodes["lif0.lif"].Params, "tau_mem") }},
		"missing weight": {ff, []string{"node fc_out", "field weight", "missing"}, func(g *nir.Graph) { delete(g.Nodes["fc_out"].Params, "weight") }},
		"NaN weight": {ff, []string{"node fc_out", "field weight", "NaN at index (0, 3)"}, func(g *nir.Graph) {
			param(g, "fc_out", "weight").Data[3] = math.NaN()
		}},
		"infinite recurrent weight": {rec, []string{"node lif1.w_rec", "field weight", "+Inf at index (2, 1)"}, func(g *nir.Graph) {
			param(g, "lif1.w_rec", "weight").Data[2*9+1] = math.Inf(1)
		}},
		// The LIF holds one τ per kind; neuron lif-learn-tau holds one
		// per neuron, but steps by the paper's discretisation only.
		"per-neuron τ under euler": {ff, []string{"node lif1.lif", "field tau_mem", "differs from", "at 4", "lif-learn-tau", "euler"}, func(g *nir.Graph) {
			param(g, "lif1.lif", "tau_mem").Data[4] *= 1.1
			g.Metadata["spikegrad_discretisation"] = nir.Text("euler")
		}},
		"τ between layers under euler": {ff, []string{"node lif1.lif", "field tau_syn", "node lif0.lif", "lif-learn-tau"}, func(g *nir.Graph) {
			for i := range param(g, "lif1.lif", "tau_syn").Data {
				param(g, "lif1.lif", "tau_syn").Data[i] *= 2
			}
			g.Metadata["spikegrad_discretisation"] = nir.Text("euler")
		}},
		"readout τ_syn under euler": {ff, []string{"node li_out", "field tau_syn", "lif-learn-tau"}, func(g *nir.Graph) {
			for i := range param(g, "li_out", "tau_syn").Data {
				param(g, "li_out", "tau_syn").Data[i] *= 2
			}
			g.Metadata["spikegrad_discretisation"] = nir.Text("euler")
		}},
		"per-neuron τ beyond the learnt range": {ff, []string{"node lif1.lif", "field tau_mem", "at 4", "factor 155", "node lif0.lif", "within a factor 100"}, func(g *nir.Graph) {
			param(g, "lif1.lif", "tau_mem").Data[4] *= 150
		}},
		"τ ≤ 0 of one neuron": {ff, []string{"node lif1.lif", "field tau_syn", "-1 at 2", "not longer than the time step"}, func(g *nir.Graph) {
			param(g, "lif1.lif", "tau_syn").Data[2] = -1
		}},
		"NaN τ of one neuron": {ff, []string{"node lif0.lif", "field tau_mem", "NaN at index 1"}, func(g *nir.Graph) {
			param(g, "lif0.lif", "tau_mem").Data[1] = math.NaN()
		}},
		"τ array of the wrong length": {ff, []string{"node li_out", "field tau_mem", "shape [5]", "want (4)"}, func(g *nir.Graph) {
			g.Nodes["li_out"].Params["tau_mem"] = nir.Vector(11, 11, 11, 11, 11)
		}},
		"named neuron model": {ff, []string{"metadata", "spikegrad_neuron", "adlif"}, func(g *nir.Graph) {
			g.Metadata["spikegrad_neuron"] = nir.Text("adlif")
		}},
		"τ shorter than Δt": {ff, []string{"node lif0.lif", "field tau_mem", "not longer than the time step"}, func(g *nir.Graph) {
			for i := range param(g, "lif0.lif", "tau_mem").Data {
				param(g, "lif0.lif", "tau_mem").Data[i] = 0.3
			}
		}},
		"bias": {ff, []string{"node fc0", "field bias", "0.5 at 2"}, func(g *nir.Graph) {
			n := g.Nodes["fc0"]
			n.Type, n.Params["bias"] = "Affine", nir.Vector(make([]float64, 12)...)
			n.Params["bias"].Data[2] = 0.5
		}},
		"Affine without bias": {ff, []string{"node fc0", "field bias", "missing"}, func(g *nir.Graph) { g.Nodes["fc0"].Type = "Affine" }},
		"leak":                {ff, []string{"node lif1.lif", "field v_leak", "0.1 at 0"}, func(g *nir.Graph) { param(g, "lif1.lif", "v_leak").Data[0] = 0.1 }},
		"reset":               {ff, []string{"node lif0.lif", "field v_reset"}, func(g *nir.Graph) { fillArr(param(g, "lif0.lif", "v_reset"), -0.5) }},
		"threshold":           {ff, []string{"node lif0.lif", "field v_threshold"}, func(g *nir.Graph) { fillArr(param(g, "lif0.lif", "v_threshold"), 0) }},
		"parameter shape": {ff, []string{"node lif0.lif", "field r", "shape [5]"}, func(g *nir.Graph) {
			g.Nodes["lif0.lif"].Params["r"] = nir.Vector(1, 1, 1, 1, 1)
		}},
		"output shape": {ff, []string{"node output", "field shape", "readout has 4"}, func(g *nir.Graph) { param(g, "output", "shape").Data[0] = 5 }},
		"input shape": {ff, []string{"node input", "field shape"}, func(g *nir.Graph) {
			g.Nodes["input"].Params["shape"] = nir.Array{Shape: []int{3}, Data: []float64{2, 34, 34}, Integer: true}
		}},
		"recurrence in one layer only": {rec, []string{"node lif1.lif", "recurrent false", "lif0.lif"}, func(g *nir.Graph) {
			delete(g.Nodes, "lif1.w_rec")
			g.Edges = dropEdges(g.Edges, "lif1.w_rec")
		}},
		"two outputs": {ff, []string{"Output nodes"}, func(g *nir.Graph) {
			g.Nodes["out2"] = &nir.Node{Type: "Output", Params: map[string]nir.Array{"shape": {Shape: []int{1}, Data: []float64{4}}}}
			g.Edges = append(g.Edges, [2]string{"li_out", "out2"})
		}},
		"branch": {ff, []string{"node lif0.lif", "2 outgoing edges"}, func(g *nir.Graph) {
			g.Edges = append(g.Edges, [2]string{"lif0.lif", "fc_out"})
		}},
		"dangling node": {ff, []string{"node spare", "not on the path"}, func(g *nir.Graph) {
			g.Nodes["spare"] = &nir.Node{Type: "Linear", Params: map[string]nir.Array{"weight": {Shape: []int{1, 1}, Data: []float64{1}}}}
		}},
		"repeated edge": {ff, []string{"edges: row", "repeats the edge fc0 → lif0.lif"}, func(g *nir.Graph) {
			g.Edges = append(g.Edges, [2]string{"fc0", "lif0.lif"})
		}},
		"recurrent CubaLIF as readout": {ff, []string{"node li_out", "want the CubaLI readout"}, func(g *nir.Graph) {
			n := g.Nodes["li_out"]
			n.Type = "CubaLIF"
			n.Params["v_threshold"] = nir.Vector(1, 1, 1, 1)
			g.Nodes["li_out.w_rec"] = &nir.Node{Type: "Linear", Params: map[string]nir.Array{"weight": {Shape: []int{4, 4}, Data: make([]float64, 16)}}}
			g.Edges = append(g.Edges, [2]string{"li_out", "li_out.w_rec"}, [2]string{"li_out.w_rec", "li_out"})
		}},
		"readout without node or metadata": {ff, []string{"node fc_out", "readout_tau_syn"}, func(g *nir.Graph) {
			delete(g.Nodes, "li_out")
			g.Edges = slices.DeleteFunc(g.Edges, func(e [2]string) bool { return e[0] == "li_out" || e[1] == "li_out" })
			g.Edges = append(g.Edges, [2]string{"fc_out", "output"})
		}},
		"metadata discretisation": {ff, []string{"metadata", "spikegrad_discretisation", "heun"}, func(g *nir.Graph) {
			g.Metadata["spikegrad_discretisation"] = nir.Text("heun")
		}},
		"metadata dt":      {ff, []string{"metadata", "dt = -1"}, func(g *nir.Graph) { g.Metadata["dt"] = nir.Number(-1) }},
		"metadata readout": {ff, []string{"metadata", "readout", "mean"}, func(g *nir.Graph) { g.Metadata["readout"] = nir.Text("mean") }},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s, w := testNetwork(t, c.arch, tensor.Float32, 1)
			s.Inputs, s.Outputs = 7, 4
			g, err := (&nir.Network{Spec: s, Weights: w}).Graph()
			if err != nil {
				t.Fatal(err)
			}
			c.edit(g)
			path := filepath.Join(t.TempDir(), "bad.nir")
			if err := nir.Write(path, g); err != nil {
				t.Fatal(err)
			}
			_, err = nir.Import(path, nir.Options{})
			if err == nil {
				t.Fatal("imported")
			}
			for _, want := range append(c.want, path) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}

func fillArr(a nir.Array, v float64) {
	for i := range a.Data {
		a.Data[i] = v
	}
}

func dropEdges(edges [][2]string, node string) [][2]string {
	var out [][2]string
	for _, e := range edges {
		if e[0] != node && e[1] != node {
			out = append(out, e)
		}
	}
	return out
}

// TestRefusesBrokenFiles checks files that are not NIR files at all.
func TestRefusesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	s, w := testNetwork(t, archs[3], tensor.Float64, 1)
	good := filepath.Join(dir, "good.nir")
	if err := nir.Export(good, &nir.Network{Spec: s, Weights: w}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.nir")
	os.WriteFile(junk, []byte("not HDF5"), 0o644)
	half := filepath.Join(dir, "half.nir")
	os.WriteFile(half, data[:len(data)/2], 0o644)
	for path, want := range map[string]string{
		junk:                              "not a readable HDF5 file",
		half:                              "",
		filepath.Join(dir, "missing.nir"): "no such file",
		dir:                               "not a regular file",
	} {
		_, err := nir.Import(path, nir.Options{})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming the file and %q", filepath.Base(path), err, want)
		}
	}
	// A graph that cannot be written.
	g, _ := (&nir.Network{Spec: s, Weights: w}).Graph()
	g.Edges = append(g.Edges, [2]string{"input", "nowhere"})
	if err := nir.Write(filepath.Join(dir, "x.nir"), g); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("edge to a missing node: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.nir")); err == nil {
		t.Error("a failed write left a file")
	}
}

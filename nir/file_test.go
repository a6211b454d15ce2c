package nir_test

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/spikegrad/spikegrad/nir"
)

// TestWriteReadGraph writes a graph with what NIR files hold besides
// spikegrad's networks (a subgraph, integer, float32 and scalar
// parameters, NaN, metadata on nodes and graphs) and reads it back as it
// was.
func TestWriteReadGraph(t *testing.T) {
	sub := &nir.Graph{
		Nodes: map[string]*nir.Node{
			"input":  {Type: "Input", Params: map[string]nir.Array{"shape": {Shape: []int{1}, Data: []float64{2}, Integer: true}}},
			"lif":    {Type: "LIF", Params: map[string]nir.Array{"tau": nir.Vector(3, 4), "v_threshold": {Data: []float64{1}}}},
			"output": {Type: "Output", Params: map[string]nir.Array{"shape": {Shape: []int{1}, Data: []float64{2}, Integer: true}}},
		},
		Edges:    [][2]string{{"input", "lif"}, {"lif", "output"}},
		Metadata: map[string]nir.Value{"note": nir.Text("inner")},
	}
	g := &nir.Graph{
		Nodes: map[string]*nir.Node{
			"in":  {Type: "Input", Params: map[string]nir.Array{"shape": {Shape: []int{3}, Data: []float64{2, 34, 34}, Integer: true}}},
			"w":   {Type: "Linear", Params: map[string]nir.Array{"weight": {Shape: []int{2, 2, 1}, Data: []float64{1.5, -2, math.NaN(), 0.25}, Float32: true}}, Metadata: map[string]nir.Value{"origin": nir.Text("test")}},
			"sub": {Type: "NIRGraph", Graph: sub},
			"out": {Type: "Output", Params: map[string]nir.Array{"shape": {Shape: []int{1}, Data: []float64{2}, Integer: true}}},
		},
		Edges:    [][2]string{{"in", "w"}, {"w", "sub"}, {"sub", "out"}},
		Metadata: map[string]nir.Value{"dt": nir.Number(0.25), "steps": nir.Number(7), "text": nir.Text("a b c")},
	}
	path := filepath.Join(t.TempDir(), "g.nir")
	if err := nir.Write(path, g); err != nil {
		t.Fatal(err)
	}
	f, err := nir.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != nir.Version || !reflect.DeepEqual(f.Graph.Metadata, g.Metadata) || !reflect.DeepEqual(f.Graph.Edges, g.Edges) ||
		!reflect.DeepEqual(f.Graph.Nodes["sub"].Graph.Nodes["lif"], sub.Nodes["lif"]) ||
		!reflect.DeepEqual(f.Graph.Nodes["w"].Metadata, g.Nodes["w"].Metadata) || !reflect.DeepEqual(f.Graph.Nodes["in"], g.Nodes["in"]) {
		t.Errorf("read back %+v", f.Graph)
	}
	w := f.Graph.Nodes["w"].Params["weight"]
	if !reflect.DeepEqual(w.Shape, []int{2, 2, 1}) || !w.Float32 || w.Data[0] != 1.5 || !math.IsNaN(w.Data[2]) {
		t.Errorf("weight %+v", w)
	}
}

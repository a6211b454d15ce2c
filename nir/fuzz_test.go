package nir_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/nir"
)

// watchdog crashes the test process if the returned stop function is not
// called within ten seconds: an input that hangs the importer is a failure
// that go test's fuzzing would otherwise not report.
func watchdog(data []byte) (stop func()) {
	tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("no result after 10 s for input %q", data)) })
	return func() { tm.Stop() }
}

// checkImported checks that a network Import accepted is one spikegrad can
// build.
func checkImported(t *testing.T, n *nir.Network) {
	t.Helper()
	s := n.Spec
	s.Steps = max(s.Steps, 2*len(s.Hidden)+2)
	if s.Steps > 64 {
		s.Steps = 2*len(s.Hidden) + 2
	}
	if _, err := models.New(s, 1, n.Weights); err != nil {
		t.Fatalf("imported a network spikegrad cannot build: %v", err)
	}
}

// FuzzImport imports arbitrary bytes as a NIR file. The seeds are exported
// files, the committed file in another library's layout (gzip-compressed
// data sets, variable-length strings, a subgraph) and damaged versions of
// them. The importer must not panic, must name the file in its errors, and
// what it accepts must build.
func FuzzImport(f *testing.F) {
	dir := f.TempDir()
	var seeds [][]byte
	for i, a := range []arch{archs[0], archs[5]} {
		s, _ := testNetwork(f, a, tensor.Float32, 1)
		s.Inputs, s.Outputs, s.Steps = 3, 2, 6
		s.Hidden = slices.Clone(s.Hidden)
		for l := range s.Hidden {
			s.Hidden[l] = 2 + l
		}
		w, err := models.Init(s, 1, tensor.Float32)
		if err != nil {
			f.Fatal(err)
		}
		path := filepath.Join(dir, string(rune('a'+i))+".nir")
		if err := nir.Export(path, &nir.Network{Spec: s, Weights: w}); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	foreign, err := os.ReadFile(filepath.Join("testdata", "foreign.nir"))
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, foreign)
	for _, b := range seeds {
		f.Add(b)
		f.Add(b[:len(b)/2])
		for _, off := range []int{8, 100, 300, 1000, 3000, len(b) / 3, len(b) - 10} {
			if off < len(b) {
				bad := slices.Clone(b)
				bad[off] ^= 0x55
				f.Add(bad)
			}
		}
	}
	f.Add([]byte("\x89HDF\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		path := filepath.Join(t.TempDir(), "f.nir")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n, err := nir.Import(path, nir.Options{DT: 1e-4})
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			return
		}
		checkImported(t, n)
	})
}

// FuzzFromGraph builds graphs from arbitrary bytes (node types, shapes,
// parameter values, edges) and converts them: no panic, and what is
// accepted must build. It explores the structure checks that random bytes
// in an HDF5 file rarely reach.
func FuzzFromGraph(f *testing.F) {
	f.Add([]byte{0, 3, 1, 2, 2, 4, 2, 3, 5, 2, 6})
	f.Add([]byte("\x00\x02\x01\x02\x04\x03\x01\x02\x04\x05\x02\x06\x01"))
	f.Add([]byte{0, 1, 1, 1, 4, 2, 1, 2, 3, 7, 9, 200, 17, 0, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data)()
		g := graphFrom(data)
		n, err := nir.FromGraph(g, nir.Options{DT: 1})
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error")
			}
			return
		}
		checkImported(t, n)
	})
}

// graphFrom decodes bytes into a graph: a sequence of nodes, each a type,
// a width and parameter values, chained in order, plus extra edges.
func graphFrom(data []byte) *nir.Graph {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	types := []string{"Input", "Linear", "CubaLIF", "CubaLI", "Output", "Affine", "LIF", "NIRGraph"}
	values := []float64{0, 1, -1, 0.5, 2, 10, math.NaN(), math.Inf(1), 1e-300, 1e300}
	g := &nir.Graph{Nodes: map[string]*nir.Node{}, Metadata: map[string]nir.Value{}}
	var order []string
	width := 1 + next()%4
	for len(data) > 0 && len(order) < 12 {
		typ := types[next()%len(types)]
		name := typ + string(rune('a'+len(order)))
		n := &nir.Node{Type: typ, Params: map[string]nir.Array{}}
		val := func() float64 { return values[next()%len(values)] }
		arr := func(k int) nir.Array {
			a := nir.Array{Shape: []int{k}, Data: make([]float64, k)}
			v := val()
			for i := range a.Data {
				a.Data[i] = v
			}
			if next()%5 == 0 && k > 0 {
				a.Data[k-1] = val()
			}
			return a
		}
		switch typ {
		case "Input", "Output":
			n.Params["shape"] = nir.Array{Shape: []int{1}, Data: []float64{float64(width + next()%2)}, Integer: true}
		case "Linear", "Affine":
			out := 1 + next()%4
			w := nir.Array{Shape: []int{out, width + next()%2 - next()%2}, Float32: next()%2 == 0}
			if w.Shape[1] < 0 {
				w.Shape[1] = 0
			}
			w.Data = make([]float64, w.Shape[0]*w.Shape[1])
			for i := range w.Data {
				w.Data[i] = val()
			}
			n.Params["weight"] = w
			if typ == "Affine" {
				n.Params["bias"] = arr(out)
			}
			width = out
		case "CubaLIF", "CubaLI", "LIF":
			for _, p := range []string{"tau_syn", "tau_mem", "r", "w_in", "v_leak", "v_threshold", "v_reset"} {
				if next()%8 != 0 {
					n.Params[p] = arr(width + next()%2/2)
				}
			}
		case "NIRGraph":
			n.Graph = &nir.Graph{Nodes: map[string]*nir.Node{"i": {Type: "Input"}, "o": {Type: "Output"}}, Edges: [][2]string{{"i", "o"}}}
			n.Params = nil
		}
		g.Nodes[name] = n
		order = append(order, name)
	}
	for i := 1; i < len(order); i++ {
		g.Edges = append(g.Edges, [2]string{order[i-1], order[i]})
	}
	for len(data) >= 2 && len(order) > 0 {
		g.Edges = append(g.Edges, [2]string{order[next()%len(order)], order[next()%len(order)]})
	}
	if next()%3 == 0 {
		g.Metadata["dt"] = nir.Number(values[next()%len(values)])
	}
	return g
}

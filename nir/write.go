package nir

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/scigolib/hdf5"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
)

// Write stores g in a NIR file at path, replacing it atomically: the file
// is written next to path under a temporary name, checked by reading it
// back, and put in place by an atomic write (internal/atomicfile).
//
// The layout is the reference implementation's (nir.write): /version, and
// under /node the root NIRGraph with type, nodes/<name>/{type, parameters…},
// edges as an N×2 array of fixed-length strings, and metadata. Strings are
// fixed-length ASCII, type, version and metadata entries are scalar data
// sets, parameters keep their shape. Nothing is compressed.
func Write(path string, g *Graph) (err error) {
	if err := checkGraph(g, "node", 0); err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpPath)
		}
	}()
	w := &writer{}
	w.str("/version", Version)
	w.graph("/node", g)
	if err := w.flush(tmpPath); err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	if err := makeScalar(tmpPath, w.scalars); err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	// The file must read back as written.
	back, err := readFile(tmpPath)
	if err != nil {
		return fmt.Errorf("nir: %s: the written file does not read back: %w", path, err)
	}
	if back.Version != Version || !sameGraph(back.Graph, g) {
		return fmt.Errorf("nir: %s: the written file reads back differently", path)
	}
	// The HDF5 writer needs a file of its own; the result is put in place
	// by the project's one atomic write.
	b, err := os.ReadFile(tmpPath)
	if err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	if err := atomicfile.WriteBytes(path, b); err != nil {
		return fmt.Errorf("nir: %s: %w", path, err)
	}
	return os.Remove(tmpPath)
}

// checkGraph checks what Write cannot store: names that are not HDF5 link
// names, edges to missing nodes, parameters whose data do not fill their
// shape, and non-ASCII strings.
func checkGraph(g *Graph, where string, depth int) error {
	if g == nil {
		return fmt.Errorf("%s: no graph", where)
	}
	if depth > maxDepth {
		return fmt.Errorf("%s: subgraphs nested deeper than %d", where, maxDepth)
	}
	for _, name := range names(g.Nodes) {
		n := g.Nodes[name]
		at := where + "/nodes/" + name
		if err := checkName(name); err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
		if n == nil || n.Type == "" {
			return fmt.Errorf("%s: no type", at)
		}
		if (n.Type == "NIRGraph") != (n.Graph != nil) {
			return fmt.Errorf("%s: a node has a subgraph if and only if its type is NIRGraph", at)
		}
		if n.Graph != nil && (len(n.Params) > 0 || len(n.Metadata) > 0) {
			return fmt.Errorf("%s: a subgraph node keeps its metadata in its Graph and has no parameters", at)
		}
		for _, p := range names(n.Params) {
			if err := checkName(p); err != nil || p == "type" || p == "metadata" {
				return fmt.Errorf("%s: parameter name %q is reserved or not a valid name", at, p)
			}
			a := n.Params[p]
			if len(a.Data) != a.Len() || len(a.Shape) > 8 {
				return fmt.Errorf("%s/%s: %d values for shape %v", at, p, len(a.Data), a.Shape)
			}
		}
		if err := checkMeta(n.Metadata, at); err != nil {
			return err
		}
		if n.Graph != nil {
			if err := checkGraph(n.Graph, at, depth+1); err != nil {
				return err
			}
		}
	}
	if len(g.Edges) == 0 {
		// The HDF5 writer cannot create an empty data set.
		return fmt.Errorf("%s/edges: no edges", where)
	}
	for i, e := range g.Edges {
		for _, end := range e {
			if g.Nodes[end] == nil {
				return fmt.Errorf("%s/edges: row %d names node %q, which the graph does not have", where, i, end)
			}
		}
	}
	return checkMeta(g.Metadata, where)
}

func checkMeta(m map[string]Value, where string) error {
	for _, k := range names(m) {
		if err := checkName(k); err != nil {
			return fmt.Errorf("%s/metadata: %w", where, err)
		}
		if v := m[k]; v.IsString && !ascii(v.Str) {
			return fmt.Errorf("%s/metadata/%s: not ASCII", where, k)
		}
	}
	return nil
}

func checkName(s string) error {
	if s == "" || s == "." || s == ".." || len(s) > maxName || strings.ContainsAny(s, "/\x00") || !ascii(s) {
		return fmt.Errorf("%q is not a valid node or parameter name (ASCII, no '/', at most %d bytes)", s, maxName)
	}
	return nil
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 || s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// writer collects groups and data sets, then writes them in one go.
type writer struct {
	groups  []string
	sets    []dataset
	scalars []string // data sets written as [1] that must become scalar
}

type dataset struct {
	path  string
	dtype hdf5.Datatype
	dims  []uint64
	data  any
	opts  []hdf5.DatasetOption
}

func (w *writer) str(path, s string) {
	w.sets = append(w.sets, dataset{path: path, dtype: hdf5.String, dims: []uint64{1}, data: []string{s},
		opts: []hdf5.DatasetOption{hdf5.WithStringSize(uint32(max(1, len(s))))}})
	w.scalars = append(w.scalars, path)
}

func (w *writer) num(path string, a Array) {
	dims := make([]uint64, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = uint64(d)
	}
	if len(dims) == 0 {
		dims = []uint64{1}
		w.scalars = append(w.scalars, path)
	}
	switch {
	case a.Integer:
		v := make([]int64, len(a.Data))
		for i, x := range a.Data {
			v[i] = int64(x)
		}
		w.sets = append(w.sets, dataset{path: path, dtype: hdf5.Int64, dims: dims, data: v})
	case a.Float32:
		v := make([]float32, len(a.Data))
		for i, x := range a.Data {
			v[i] = float32(x)
		}
		w.sets = append(w.sets, dataset{path: path, dtype: hdf5.Float32, dims: dims, data: v})
	default:
		w.sets = append(w.sets, dataset{path: path, dtype: hdf5.Float64, dims: dims, data: append([]float64(nil), a.Data...)})
	}
}

func (w *writer) meta(path string, m map[string]Value) {
	if len(m) == 0 {
		return
	}
	w.groups = append(w.groups, path)
	for _, k := range names(m) {
		if v := m[k]; v.IsString {
			w.str(path+"/"+k, v.Str)
		} else {
			w.num(path+"/"+k, Array{Data: []float64{v.Num}})
		}
	}
}

func (w *writer) graph(path string, g *Graph) {
	w.groups = append(w.groups, path, path+"/nodes")
	w.str(path+"/type", "NIRGraph")
	for _, name := range names(g.Nodes) {
		n := g.Nodes[name]
		at := path + "/nodes/" + name
		if n.Graph != nil {
			w.graph(at, n.Graph)
			continue
		}
		w.groups = append(w.groups, at)
		w.str(at+"/type", n.Type)
		for _, p := range names(n.Params) {
			w.num(at+"/"+p, n.Params[p])
		}
		w.meta(at+"/metadata", n.Metadata)
	}
	size := 1
	flat := make([]string, 0, 2*len(g.Edges))
	for _, e := range g.Edges {
		flat = append(flat, e[0], e[1])
		size = max(size, len(e[0]), len(e[1]))
	}
	w.sets = append(w.sets, dataset{path: path + "/edges", dtype: hdf5.String, dims: []uint64{uint64(len(g.Edges)), 2},
		data: flat, opts: []hdf5.DatasetOption{hdf5.WithStringSize(uint32(size))}})
	w.meta(path+"/metadata", g.Metadata)
}

// flush writes the collected groups and data sets to a new file at path.
// The HDF5 writer panics on some misuse; that becomes an error.
func (w *writer) flush(path string) (err error) {
	fw, err := hdf5.CreateForWrite(path, hdf5.CreateTruncate)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("HDF5 writer failed: %v", r)
		}
		if cerr := fw.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	for _, g := range w.groups {
		if _, err := fw.CreateGroup(g); err != nil {
			return fmt.Errorf("group %s: %w", g, err)
		}
	}
	for _, s := range w.sets {
		ds, err := fw.CreateDataset(s.path, s.dtype, s.dims, s.opts...)
		if err == nil {
			err = ds.Write(s.data)
		}
		if err != nil {
			return fmt.Errorf("data set %s: %w", s.path, err)
		}
	}
	return nil
}

// sameGraph reports whether a and b hold the same nodes, parameters (NaN
// equal to NaN), edges and metadata.
func sameGraph(a, b *Graph) bool {
	if len(a.Nodes) != len(b.Nodes) || len(a.Edges) != len(b.Edges) || !sameMeta(a.Metadata, b.Metadata) {
		return false
	}
	for i := range a.Edges {
		if a.Edges[i] != b.Edges[i] {
			return false
		}
	}
	for name, x := range a.Nodes {
		y := b.Nodes[name]
		if y == nil || x.Type != y.Type || len(x.Params) != len(y.Params) || !sameMeta(x.Metadata, y.Metadata) {
			return false
		}
		if (x.Graph == nil) != (y.Graph == nil) || x.Graph != nil && !sameGraph(x.Graph, y.Graph) {
			return false
		}
		for p, u := range x.Params {
			v, ok := y.Params[p]
			if !ok || !sameArray(u, v) {
				return false
			}
		}
	}
	return true
}

func sameArray(u, v Array) bool {
	if len(u.Shape) != len(v.Shape) || len(u.Data) != len(v.Data) || u.Float32 != v.Float32 || u.Integer != v.Integer {
		return false
	}
	for i := range u.Shape {
		if u.Shape[i] != v.Shape[i] {
			return false
		}
	}
	for i, x := range u.Data {
		y := v.Data[i]
		if u.Float32 {
			x, y = float64(float32(x)), float64(float32(y))
		}
		if u.Integer {
			x, y = float64(int64(x)), float64(int64(y))
		}
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return false
		}
	}
	return true
}

func sameMeta(a, b map[string]Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.IsString != w.IsString || v.Str != w.Str || v.Num != w.Num && !(math.IsNaN(v.Num) && math.IsNaN(w.Num)) {
			return false
		}
	}
	return true
}

package nir

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/scigolib/hdf5"
	"github.com/spikegrad/spikegrad/internal/hdf5guard"
	"github.com/spikegrad/spikegrad/internal/readlimit"
)

// File is the content of a NIR file.
type File struct {
	Version string // the /version string
	Graph   *Graph // the root graph, /node
}

// ReadFile reads the NIR file at path: the version and the graph, with
// every parameter, edge and metadata entry. It checks the file's structure
// (a /node group of type NIRGraph, N×2 edges, numeric parameters) but not
// what the nodes mean; see Import. Data sets may be compressed (gzip), and
// strings fixed- or variable-length. Errors name the file and the data set.
func ReadFile(path string) (*File, error) {
	f, err := readFile(path)
	var nr *readlimit.NotRegularError
	switch {
	case errors.As(err, &nr):
		return nil, short(fmt.Errorf("nir: %s is %s, not a regular file", path, nr.Kind))
	case err != nil:
		return nil, short(fmt.Errorf("nir: %s: %w", path, err))
	}
	return f, nil
}

func readFile(path string) (*File, error) {
	h, size, err := openChecked(path)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	r := &reader{size: size, sets: map[string]*hdf5.Dataset{}, kids: map[string][]string{}}
	err = hdf5guard.Call(func() error {
		h.Walk(func(p string, o hdf5.Object) {
			r.objects++
			switch o := o.(type) {
			case *hdf5.Dataset:
				r.sets[p] = o
				r.add(p, false)
			case *hdf5.Group:
				if p != "/" {
					r.add(strings.TrimSuffix(p, "/"), true)
				}
			}
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &File{}
	if out.Version, err = r.str("/version"); err != nil {
		return nil, fmt.Errorf("%w (is it a NIR file?)", err)
	}
	if !r.groups["/node"] {
		return nil, errors.New("no group /node (is it a NIR file?)")
	}
	if out.Graph, err = r.graph("/node", 0); err != nil {
		return nil, err
	}
	return out, nil
}

// reader indexes the objects of a file by path ("/node/type") and keeps
// count of what it has read.
type reader struct {
	size    int64
	sets    map[string]*hdf5.Dataset
	groups  map[string]bool
	kids    map[string][]string // group path → child names, in file order
	objects int
	read    uint64 // bytes read so far
	nodes   int
}

func (r *reader) add(p string, group bool) {
	if group {
		if r.groups == nil {
			r.groups = map[string]bool{}
		}
		r.groups[p] = true
	}
	if i := strings.LastIndex(p, "/"); i >= 0 {
		parent := p[:i]
		if parent == "" {
			parent = "/"
		}
		r.kids[parent] = append(r.kids[parent], p[i+1:])
	}
}

// dataset returns the data set at p and its checked description.
func (r *reader) dataset(p string) (*hdf5.Dataset, info, error) {
	d := r.sets[p]
	if d == nil {
		if r.groups[p] {
			return nil, info{}, fmt.Errorf("%s: a group, want a data set", p)
		}
		return nil, info{}, fmt.Errorf("%s: missing", p)
	}
	in, err := datasetInfo(d, r.size)
	if err != nil {
		return nil, info{}, fmt.Errorf("%s: %w", p, err)
	}
	return d, in, nil
}

// load returns the data set at p for reading, counting its bytes against
// maxBytes.
func (r *reader) load(p string) (*hdf5.Dataset, info, error) {
	d, in, err := r.dataset(p)
	if err != nil {
		return nil, in, err
	}
	n := in.size
	for _, k := range in.dims {
		n *= k
	}
	if r.read += n; r.read > maxBytes {
		return nil, info{}, fmt.Errorf("%s: the data sets hold more than %d bytes", p, maxBytes)
	}
	return d, in, nil
}

// strs reads a data set of fixed- or variable-length strings.
func (r *reader) strs(p string) ([]string, info, error) {
	d, in, err := r.load(p)
	if err != nil {
		return nil, in, err
	}
	var out []string
	err = hdf5guard.Call(func() error {
		switch in.class {
		case "string":
			s, err := d.ReadStrings()
			out = s
			return err
		case "class_9": // variable-length
			b, err := d.ReadVLenBytes()
			for _, x := range b {
				out = append(out, string(x))
			}
			return err
		}
		return fmt.Errorf("want strings, got %s data", in.class)
	})
	if err != nil {
		return nil, in, fmt.Errorf("%s: %w", p, err)
	}
	for i, s := range out {
		out[i] = strings.TrimRight(s, "\x00 ")
	}
	return out, in, nil
}

// str reads a scalar string (or an array of one).
func (r *reader) str(p string) (string, error) {
	s, _, err := r.strs(p)
	if err != nil {
		return "", err
	}
	if len(s) != 1 {
		return "", fmt.Errorf("%s: %d strings, want one", p, len(s))
	}
	return s[0], nil
}

// array reads a numeric data set.
func (r *reader) array(p string) (Array, error) {
	d, in, err := r.load(p)
	if err != nil {
		return Array{}, err
	}
	if in.class != "float" && in.class != "integer" {
		return Array{}, fmt.Errorf("%s: want numbers, got %s data", p, in.class)
	}
	if in.class == "float" && in.size != 4 && in.size != 8 {
		return Array{}, fmt.Errorf("%s: %d-byte floats (float%d): spikegrad's HDF5 reader reads float32 and float64 only; store the array as float32", p, in.size, 8*in.size)
	}
	a := Array{Float32: in.class == "float" && in.size == 4, Integer: in.class == "integer"}
	for _, k := range in.dims {
		a.Shape = append(a.Shape, int(k))
	}
	err = hdf5guard.Call(func() (err error) { a.Data, err = d.Read(); return err })
	if err != nil {
		return Array{}, fmt.Errorf("%s: %w", p, err)
	}
	if len(a.Data) != a.Len() {
		return Array{}, fmt.Errorf("%s: %d values for shape %v", p, len(a.Data), a.Shape)
	}
	return a, nil
}

// graph reads the NIRGraph group at p.
func (r *reader) graph(p string, depth int) (*Graph, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: subgraphs nested deeper than %d", p, maxDepth)
	}
	typ, err := r.str(p + "/type")
	if err != nil {
		return nil, err
	}
	if typ != "NIRGraph" {
		return nil, fmt.Errorf("%s/type: %q, want NIRGraph", p, typ)
	}
	if !r.groups[p+"/nodes"] {
		return nil, fmt.Errorf("%s/nodes: missing", p)
	}
	g := &Graph{Nodes: map[string]*Node{}}
	for _, name := range r.kids[p+"/nodes"] {
		if r.nodes++; r.nodes > maxNodes {
			return nil, fmt.Errorf("%s/nodes: more than %d nodes", p, maxNodes)
		}
		at := p + "/nodes/" + name
		if name == "" || len(name) > maxName || !utf8.ValidString(name) {
			return nil, fmt.Errorf("%s/nodes/%.40q: not a valid node name (%d bytes; at most %d of UTF-8)", p, name, len(name), maxName)
		}
		if !r.groups[at] {
			return nil, fmt.Errorf("%s: a data set, want a node group", at)
		}
		n, err := r.node(at, depth)
		if err != nil {
			return nil, err
		}
		g.Nodes[name] = n
	}
	if g.Edges, err = r.edges(p + "/edges"); err != nil {
		return nil, err
	}
	if g.Metadata, err = r.meta(p + "/metadata"); err != nil {
		return nil, err
	}
	return g, nil
}

// node reads the node group at p: its type and numeric parameters, or its
// subgraph. String parameters other than the type are skipped.
func (r *reader) node(p string, depth int) (*Node, error) {
	typ, err := r.str(p + "/type")
	if err != nil {
		return nil, err
	}
	if typ == "NIRGraph" {
		g, err := r.graph(p, depth+1)
		if err != nil {
			return nil, err
		}
		return &Node{Type: typ, Graph: g}, nil
	}
	n := &Node{Type: typ, Params: map[string]Array{}}
	for _, k := range r.kids[p] {
		at := p + "/" + k
		if k == "type" || r.groups[at] {
			continue
		}
		_, in, err := r.dataset(at)
		if err != nil {
			return nil, err
		}
		if in.class != "float" && in.class != "integer" {
			continue
		}
		if n.Params[k], err = r.array(at); err != nil {
			return nil, err
		}
	}
	if n.Metadata, err = r.meta(p + "/metadata"); err != nil {
		return nil, err
	}
	return n, nil
}

// edges reads an N×2 array of node names.
func (r *reader) edges(p string) ([][2]string, error) {
	s, in, err := r.strs(p)
	if err != nil {
		return nil, err
	}
	if len(in.dims) != 2 || in.dims[1] != 2 || len(s) != 2*int(in.dims[0]) {
		return nil, fmt.Errorf("%s: shape %v, want N×2 node names", p, in.dims)
	}
	if len(s)/2 > maxEdges {
		return nil, fmt.Errorf("%s: more than %d edges", p, maxEdges)
	}
	out := make([][2]string, len(s)/2)
	for i := range out {
		out[i] = [2]string{s[2*i], s[2*i+1]}
	}
	return out, nil
}

// meta reads the optional metadata group at p: scalar (or one-element)
// numbers and strings; other entries are skipped.
func (r *reader) meta(p string) (map[string]Value, error) {
	if !r.groups[p] {
		return nil, nil
	}
	m := map[string]Value{}
	for _, k := range r.kids[p] {
		at := p + "/" + k
		if r.groups[at] {
			continue
		}
		_, in, err := r.dataset(at)
		if err != nil {
			return nil, err
		}
		switch in.class {
		case "string", "class_9":
			s, _, err := r.strs(at)
			if err != nil {
				return nil, err
			}
			if len(s) == 1 {
				m[k] = Text(s[0])
			}
		case "float", "integer":
			a, err := r.array(at)
			if err != nil {
				return nil, err
			}
			if len(a.Data) == 1 && !math.IsInf(a.Data[0], 0) {
				m[k] = Number(a.Data[0])
			}
		}
	}
	return m, nil
}

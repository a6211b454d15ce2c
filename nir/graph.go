package nir

import (
	"fmt"
	"sort"
)

// Version is the NIR version written to /version: the release of the
// reference implementation whose node types and parameter names this
// package follows.
const Version = "1.0.7"

// Graph is a NIRGraph: named nodes, the edges between them and free-form
// metadata. It is the file's content before any spikegrad meaning is given
// to it; Read returns it and Write stores it.
type Graph struct {
	Nodes    map[string]*Node
	Edges    [][2]string // (source, target) node names
	Metadata map[string]Value
}

// Node is one node of a Graph: its NIR type ("Input", "Linear", "CubaLIF",
// …), its parameters and metadata or, for a node of type NIRGraph, only the
// subgraph (which holds the metadata).
type Node struct {
	Type     string
	Params   map[string]Array
	Graph    *Graph // type NIRGraph only
	Metadata map[string]Value
}

// Array is a numeric parameter: its shape (empty for a scalar) and its
// values in row-major order. Float32 records that the file stores float32
// values; integers are stored as float64 values with Integer set.
type Array struct {
	Shape   []int
	Data    []float64
	Float32 bool
	Integer bool
}

// Len is the number of elements Shape implies.
func (a Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// Vector returns a 1-D float64 array.
func Vector(v ...float64) Array { return Array{Shape: []int{len(v)}, Data: v} }

// Value is a metadata entry: a string or a number.
type Value struct {
	Str      string
	Num      float64
	IsString bool
}

// String returns the string, or the number formatted.
func (v Value) String() string {
	if v.IsString {
		return v.Str
	}
	return fmt.Sprint(v.Num)
}

// Text and Number make metadata values.
func Text(s string) Value    { return Value{Str: s, IsString: true} }
func Number(x float64) Value { return Value{Num: x} }

// names returns the keys of m sorted.
func names[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Package optest holds what the tests of the op packages share: tensors of
// either float type from float64 values and back, and the tolerances of
// the comparisons.
package optest

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Dtypes are the element types every op supports.
var Dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}

// Dense returns an r×c tensor of dtype dt holding x (rounded for float32).
func Dense(dt tensor.Dtype, r, c int, x []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float64(nil), x...)))
}

// Float64s returns a copy of v's values as float64s.
func Float64s(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", v.Data()))
}

// Close reports whether a is within tol of b, relative to b when |b| > 1.
func Close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// Tol is the tolerance of results computed in dt.
func Tol(dt tensor.Dtype) float64 {
	if dt == tensor.Float32 {
		return 1e-5
	}
	return 1e-12
}

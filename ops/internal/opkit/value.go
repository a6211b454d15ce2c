package opkit

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Output returns the preallocated value p when it matches ref's shape and
// type, and a new tensor like ref otherwise.
func Output(p, ref G.Value) (G.Value, error) {
	if _, ok := ref.(tensor.Tensor); !ok {
		return nil, fmt.Errorf("want a tensor input, got %T", ref)
	}
	if p != nil && p.Dtype() == ref.Dtype() && p.Shape().Eq(ref.Shape()) {
		return p, nil
	}
	return tensor.New(tensor.WithShape(ref.Shape().Clone()...), tensor.Of(ref.Dtype())), nil
}

// NewOutput returns p if it is a matrix of shape rows×cols and dtype dt,
// and a new one otherwise.
func NewOutput(p G.Value, dt tensor.Dtype, rows, cols int) G.Value {
	if p != nil && p.Dtype() == dt {
		if s := p.Shape(); len(s) == 2 && s[0] == rows && s[1] == cols {
			return p
		}
	}
	return tensor.New(tensor.WithShape(rows, cols), tensor.Of(dt))
}

// Shapes returns the inputs' shapes, all of which must be matrices.
func Shapes(op fmt.Stringer, in []G.DimSizer) ([]tensor.Shape, error) {
	out := make([]tensor.Shape, len(in))
	for i, d := range in {
		s, ok := d.(tensor.Shape)
		if !ok || len(s) != 2 {
			return nil, fmt.Errorf("%v: input %d has shape %v, want a matrix", op, i, d)
		}
		out[i] = s
	}
	return out, nil
}

// SameKind checks that all inputs are tensors of one dtype and shape.
func SameKind(op fmt.Stringer, in []G.Value) error {
	for i, v := range in {
		if _, ok := v.(tensor.Tensor); !ok {
			return fmt.Errorf("%v: input %d is a %T, want a tensor", op, i, v)
		}
		if v.Dtype() != in[0].Dtype() {
			return fmt.Errorf("%v: input %d has dtype %v, input 0 has %v", op, i, v.Dtype(), in[0].Dtype())
		}
		if !v.Shape().Eq(in[0].Shape()) {
			return fmt.Errorf("%v: input %d has shape %v, input 0 has %v", op, i, v.Shape(), in[0].Shape())
		}
	}
	return nil
}

// DtypeError reports an element type the ops do not support.
func DtypeError(op fmt.Stringer, v G.Value) error {
	return fmt.Errorf("%v: unsupported dtype %v (want float32 or float64)", op, v.Dtype())
}

// DataOf returns v.Data() without the reflection Dense.Data pays on every
// call: the typed backing slice of float tensors.
func DataOf(v G.Value) any {
	if t, ok := v.(*tensor.Dense); ok && !t.IsScalar() {
		switch t.Dtype() {
		case tensor.Float32:
			return t.Float32s()
		case tensor.Float64:
			return t.Float64s()
		}
	}
	return v.Data()
}

// Slices32 and Slices64 return the backing slices of vs (nil for nil), at
// most MaxSlices of them, in an array that stays on the caller's stack:
// the ops call them on every run. They avoid Dense.Data, which goes
// through reflect on every call.
func Slices32(vs ...G.Value) (out [MaxSlices][]float32) {
	for i, v := range vs {
		out[i] = Slice32(v)
	}
	return out
}

func Slices64(vs ...G.Value) (out [MaxSlices][]float64) {
	for i, v := range vs {
		out[i] = Slice64(v)
	}
	return out
}

// MaxSlices is the most values Slices32 and Slices64 take.
const MaxSlices = 6

// Slice32 and Slice64 return the backing slice of v (nil for nil).
func Slice32(v G.Value) []float32 {
	switch t := v.(type) {
	case nil:
		return nil
	case interface{ Float32s() []float32 }:
		return t.Float32s()
	}
	return v.Data().([]float32)
}

func Slice64(v G.Value) []float64 {
	switch t := v.(type) {
	case nil:
		return nil
	case interface{ Float64s() []float64 }:
		return t.Float64s()
	}
	return v.Data().([]float64)
}

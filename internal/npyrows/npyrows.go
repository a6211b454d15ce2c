// Package npyrows hands a matrix to npyio in the form it writes as a 2-D
// array: one slice per row.
package npyrows

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Of returns the [rows, cols] matrix m as nested rows that share its data,
// or an error for a matrix of another shape or dtype.
func Of(m *tensor.Dense) (any, error) {
	if m.Dims() != 2 {
		return nil, fmt.Errorf("npyrows: want a matrix, got shape %v", m.Shape())
	}
	r, c := m.Shape()[0], m.Shape()[1]
	switch d := m.Data().(type) {
	case []float32:
		return split(d, r, c), nil
	case []float64:
		return split(d, r, c), nil
	}
	return nil, fmt.Errorf("npyrows: want float32 or float64 values, got %T", m.Data())
}

func split[T float32 | float64](d []T, r, c int) [][]T {
	out := make([][]T, r)
	for i := range out {
		out[i] = d[i*c : (i+1)*c]
	}
	return out
}

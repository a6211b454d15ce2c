package baseline

import (
	"fmt"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/spikegrad/spikegrad/datasets"
)

// Features are the flattened samples of a split.
type Features struct {
	Dim     int // length of every feature vector
	Classes int
	Rows    []Row
	Labels  []int
}

// Row is one feature vector: the entries Value at positions Index, or, when
// Index is nil, the whole vector. Rows of spike data keep their non-zero
// entries only, so that a pass costs what the spikes cost.
type Row struct {
	Index []int32
	Value []float32
}

// each calls f with the position and value of every stored entry of r.
func (r Row) each(f func(i int, v float64)) {
	for k, v := range r.Value {
		if r.Index == nil {
			f(k, float64(v))
		} else {
			f(int(r.Index[k]), float64(v))
		}
	}
}

// Flatten returns the samples of s as feature vectors of length
// ceil(Steps/bin)·Units: entry b·Units + u is the sum of unit u's input
// over steps b·bin … b·bin+bin−1. bin 1 keeps every step.
func Flatten(s *datasets.Split, bin int) (*Features, error) {
	if bin < 1 || bin > s.Steps {
		return nil, fmt.Errorf("baseline: bin must lie in [1, %d] (the steps of split %s), got %d", s.Steps, s.Name, bin)
	}
	bins := (s.Steps + bin - 1) / bin
	f := &Features{Dim: bins * s.Units, Classes: s.Classes, Rows: make([]Row, s.Len()), Labels: make([]int, s.Len())}
	dense := make([]float32, f.Dim)
	var events []datasets.Event
	for i := range s.Samples {
		clear(dense)
		events = s.AppendEvents(events[:0], i)
		for _, e := range events {
			dense[int(e.Step)/bin*s.Units+int(e.Unit)] += e.Value
		}
		f.Rows[i] = compact(dense)
		f.Labels[i] = s.Samples[i].Label
	}
	return f, nil
}

// compact returns a copy of x as a Row, sparse when at most half of x is
// non-zero.
func compact(x []float32) Row {
	nz := 0
	for _, v := range x {
		if v != 0 {
			nz++
		}
	}
	if 2*nz > len(x) {
		return Row{Value: append([]float32(nil), x...)}
	}
	r := Row{Index: make([]int32, 0, nz), Value: make([]float32, 0, nz)}
	for i, v := range x {
		if v != 0 {
			r.Index = append(r.Index, int32(i))
			r.Value = append(r.Value, v)
		}
	}
	return r
}

// Dense returns the rows of f as dense vectors of length Dim.
func (f *Features) Dense() [][]float32 {
	out := make([][]float32, len(f.Rows))
	for i, r := range f.Rows {
		out[i] = make([]float32, f.Dim)
		r.each(func(k int, v float64) { out[i][k] = float32(v) })
	}
	return out
}

// WriteNPZ writes the three splits to a NumPy .npz archive at path, for
// programs outside Go to fit on the very same features: arrays train_x,
// validation_x and test_x (float32, [samples, Dim]) and train_y,
// validation_y and test_y (int32 labels).
func WriteNPZ(path string, train, validation, test *Features) error {
	vs := map[string]any{}
	for _, s := range []struct {
		name string
		f    *Features
	}{{"train", train}, {"validation", validation}, {"test", test}} {
		if len(s.f.Rows) == 0 {
			return fmt.Errorf("baseline: the %s split has no sample to write", s.name)
		}
		if s.f.Dim != train.Dim {
			return fmt.Errorf("baseline: the %s split has %d features, the training split %d", s.name, s.f.Dim, train.Dim)
		}
		labels := make([]int32, len(s.f.Labels))
		for i, l := range s.f.Labels {
			labels[i] = int32(l)
		}
		vs[s.name+"_x"], vs[s.name+"_y"] = s.f.Dense(), labels
	}
	return npz.Write(path, vs)
}

package baseline

import (
	"fmt"

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

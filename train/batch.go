package train

import (
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
)

// batcher fills the model's input and target tensors from a split.
type batcher struct {
	inputs  []*tensor.Dense // T tensors, [batch, units]
	targets *tensor.Dense   // [batch, classes]
	batch   int
}

func newBatcher(steps, batch, units, classes int, dt tensor.Dtype) *batcher {
	b := &batcher{batch: batch}
	for n := 0; n < steps; n++ {
		b.inputs = append(b.inputs, tensor.New(tensor.WithShape(batch, units), tensor.Of(dt)))
	}
	b.targets = tensor.New(tensor.WithShape(batch, classes), tensor.Of(dt))
	return b
}

// fill loads the samples idx (at most batch of them) of s; remaining rows
// are padding: no input and an all-zero target.
func (b *batcher) fill(s *datasets.Split, idx []int) {
	for _, t := range b.inputs {
		zero(t)
	}
	zero(b.targets)
	for row, i := range idx {
		smp := &s.Samples[i]
		for _, e := range smp.Events {
			set(b.inputs[e.Step], row*s.Units+int(e.Unit), float64(e.Value))
		}
		set(b.targets, row*s.Classes+smp.Label, 1)
	}
}

func zero(t *tensor.Dense) {
	switch d := t.Data().(type) {
	case []float64:
		clear(d)
	case []float32:
		clear(d)
	}
}

// set adds v at flat index i (events at the same place add up).
func set(t *tensor.Dense, i int, v float64) {
	switch d := t.Data().(type) {
	case []float64:
		d[i] += v
	case []float32:
		d[i] += float32(v)
	}
}

// floats returns t's values as float64.
func floats(t interface{ Data() interface{} }, dst []float64) []float64 {
	dst = dst[:0]
	switch d := t.Data().(type) {
	case []float64:
		dst = append(dst, d...)
	case []float32:
		for _, v := range d {
			dst = append(dst, float64(v))
		}
	case float64:
		dst = append(dst, d)
	case float32:
		dst = append(dst, float64(d))
	}
	return dst
}

package train

import (
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
)

// batcher fills the model's input and target tensors from a split. It
// keeps typed views of their backing slices: Dense.Data goes through
// reflection, too slow to call once per input event.
type batcher struct {
	inputs  []*tensor.Dense // T tensors, [batch, units]
	targets *tensor.Dense   // [batch, classes]
	batch   int

	in32 [][]float32
	tg32 []float32
	in64 [][]float64
	tg64 []float64
}

func newBatcher(steps, batch, units, classes int, dt tensor.Dtype) *batcher {
	b := &batcher{batch: batch}
	for n := 0; n < steps; n++ {
		t := tensor.New(tensor.WithShape(batch, units), tensor.Of(dt))
		b.inputs = append(b.inputs, t)
		if dt == tensor.Float32 {
			b.in32 = append(b.in32, t.Float32s())
		} else {
			b.in64 = append(b.in64, t.Float64s())
		}
	}
	b.targets = tensor.New(tensor.WithShape(batch, classes), tensor.Of(dt))
	if dt == tensor.Float32 {
		b.tg32 = b.targets.Float32s()
	} else {
		b.tg64 = b.targets.Float64s()
	}
	return b
}

// fill loads the samples idx (at most batch of them) of s; remaining rows
// are padding: no input and an all-zero target.
func (b *batcher) fill(s *datasets.Split, idx []int) {
	if b.tg32 != nil {
		fillTyped(b.in32, b.tg32, s, idx)
	} else {
		fillTyped(b.in64, b.tg64, s, idx)
	}
}

func fillTyped[T float32 | float64](in [][]T, tg []T, s *datasets.Split, idx []int) {
	for _, x := range in {
		clear(x)
	}
	clear(tg)
	for row, i := range idx {
		smp := &s.Samples[i]
		for _, e := range smp.Events {
			in[e.Step][row*s.Units+int(e.Unit)] += T(e.Value) // events at one place add up
		}
		tg[row*s.Classes+smp.Label] = 1
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

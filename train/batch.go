package train

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/ops"
)

// batcher fills the model's inputs and targets from a split. The inputs
// are ops.Events, one per time step: a batch of sparse spike trains costs
// work in proportion to its events, not to the size of its dense raster
// (for SHD 100 × 700 × 400 floats per batch against some 0.4 million
// events). The targets keep a typed view of their backing slice, since
// Dense.Data goes through reflection.
type batcher struct {
	inputs  []*ops.Events // T of them, [batch, units]
	targets *tensor.Dense // [batch, classes]
	batch   int

	tg32 []float32
	tg64 []float64
}

func newBatcher(steps, batch, units, classes int, dt tensor.Dtype) (*batcher, error) {
	b := &batcher{batch: batch}
	for n := 0; n < steps; n++ {
		e, err := ops.NewEvents(dt, batch, units)
		if err != nil {
			return nil, err
		}
		b.inputs = append(b.inputs, e)
	}
	b.targets = tensor.New(tensor.WithShape(batch, classes), tensor.Of(dt))
	if dt == tensor.Float32 {
		b.tg32 = b.targets.Float32s()
	} else {
		b.tg64 = b.targets.Float64s()
	}
	return b, nil
}

// fill loads the samples idx (at most batch of them) of s; remaining rows
// are padding: no input and an all-zero target.
func (b *batcher) fill(s *datasets.Split, idx []int) error {
	for _, e := range b.inputs {
		e.Clear()
	}
	if b.tg32 != nil {
		clear(b.tg32)
	} else {
		clear(b.tg64)
	}
	for row, i := range idx {
		smp := &s.Samples[i]
		for _, e := range smp.Events {
			if int(e.Step) < 0 || int(e.Step) >= len(b.inputs) {
				return fmt.Errorf("train: %s sample %d: event at step %d, the network has %d steps", s.Name, i, e.Step, len(b.inputs))
			}
			if err := b.inputs[e.Step].Add(row, int(e.Unit), float64(e.Value)); err != nil {
				return fmt.Errorf("train: %s sample %d: %w", s.Name, i, err)
			}
		}
		if b.tg32 != nil {
			b.tg32[row*s.Classes+smp.Label] = 1
		} else {
			b.tg64[row*s.Classes+smp.Label] = 1
		}
	}
	return nil
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

package train

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/ops/lif"
)

// A Batcher turns samples of a datasets.Split into the input values of
// one batch: per time step an lif.Events, [batch, units], holding the
// step's input spikes as its non-zero entries, and the one-hot targets,
// [batch, classes]. A batch of sparse spike trains so costs work in
// proportion to its events, not to the size of its dense raster (for SHD
// 100 × 700 × 400 floats per batch against some 0.4 million events). Rows
// after the samples are padding: no input and an all-zero target. The
// Trainer and the Evaluator bind a Batcher's values to their graphs'
// input nodes (gorgonia.Let) once and refill them for every batch; a
// graph of one's own can do the same, or take Dense inputs.
type Batcher struct {
	inputs  []*lif.Events // T of them, [batch, units]
	seq     *lif.Sequence // of inputs
	targets *tensor.Dense // [batch, classes]
	batch   int

	// Typed views of the targets' backing slice: Dense.Data goes through
	// reflection.
	tg32 []float32
	tg64 []float64

	offsets    [][]int32 // per row, where each step's events start
	offsetsMem []int32

	// rows holds each row's events, copied from its sample (or expanded
	// from a dense one) by Split.AppendEvents.
	rows [][]datasets.Event
}

// NewBatcher returns a Batcher of batch rows for samples of steps time
// steps, units inputs and classes classes, in dtype dt (Float32 or
// Float64).
func NewBatcher(steps, batch, units, classes int, dt tensor.Dtype) (*Batcher, error) {
	if steps < 1 || batch < 1 || units < 1 || classes < 1 {
		return nil, fmt.Errorf("train: batcher of %d steps, %d rows, %d units and %d classes: want each ≥ 1", steps, batch, units, classes)
	}
	b := &Batcher{batch: batch}
	for n := 0; n < steps; n++ {
		e, err := lif.NewEvents(dt, batch, units)
		if err != nil {
			return nil, err
		}
		b.inputs = append(b.inputs, e)
	}
	var err error
	if b.seq, err = lif.NewSequence(b.inputs); err != nil {
		return nil, err
	}
	b.targets = tensor.New(tensor.WithShape(batch, classes), tensor.Of(dt))
	if dt == tensor.Float32 {
		b.tg32 = b.targets.Float32s()
	} else {
		b.tg64 = b.targets.Float64s()
	}
	return b, nil
}

// Inputs are the input values, one per step, [batch, units]; Fill
// refills them in place.
func (b *Batcher) Inputs() []*lif.Events { return b.inputs }

// Sequence is Inputs as one value, [T·batch, units], for a model's Input
// (models.Model.Input).
func (b *Batcher) Sequence() *lif.Sequence { return b.seq }

// Targets are the one-hot targets, [batch, classes]; Fill refills them in
// place.
func (b *Batcher) Targets() *tensor.Dense { return b.targets }

// Dense returns the inputs of step n as a new dense [batch, units] tensor,
// for graphs whose inputs are plain matrices.
func (b *Batcher) Dense(n int) *tensor.Dense { return b.inputs[n].Dense() }

// Fill loads the samples idx (at most batch of them) of s; remaining rows
// are padding: no input and an all-zero target. The split's samples must
// have the Batcher's units and classes, and events within its steps.
func (b *Batcher) Fill(s *datasets.Split, idx []int) error {
	if len(idx) > b.batch {
		return fmt.Errorf("train: %d samples for a batch of %d", len(idx), b.batch)
	}
	if units, classes := b.inputs[0].Shape()[1], b.targets.Shape()[1]; s.Units != units || s.Classes != classes {
		return fmt.Errorf("train: %s has %d units and %d classes, the batch %d and %d", s.Name, s.Units, s.Classes, units, classes)
	}
	if b.tg32 != nil {
		clear(b.tg32)
	} else {
		clear(b.tg64)
	}
	for row, i := range idx {
		if b.tg32 != nil {
			b.tg32[row*s.Classes+s.Samples[i].Label] = 1
		} else {
			b.tg64[row*s.Classes+s.Samples[i].Label] = 1
		}
	}
	if err := b.stepOffsets(s, idx); err != nil {
		return err
	}
	if b.offsets == nil {
		return b.fillUnsorted(s, idx)
	}
	// One step at a time: each step's Events grows in one place.
	return b.fillSorted(s, idx)
}

// stepOffsets sets b.offsets[r][n] to the first event of sample idx[r] at
// step n or later (n ≤ T), or b.offsets to nil if some sample's events are
// not in order of steps. It checks that every event lies within T steps.
func (b *Batcher) stepOffsets(s *datasets.Split, idx []int) error {
	T := len(b.inputs)
	if cap(b.offsetsMem) < len(idx)*(T+1) {
		b.offsetsMem = make([]int32, len(idx)*(T+1))
	}
	b.offsets = b.offsets[:0]
	for len(b.rows) < len(idx) {
		b.rows = append(b.rows, nil)
	}
	sorted := true
	for r, i := range idx {
		b.rows[r] = s.AppendEvents(b.rows[r][:0], i)
		off := b.offsetsMem[r*(T+1) : (r+1)*(T+1)]
		n := 0
		for k, e := range b.rows[r] {
			if e.Step < 0 || int(e.Step) >= T {
				return fmt.Errorf("train: %s sample %d: event at step %d, the network has %d steps", s.Name, i, e.Step, T)
			}
			if int(e.Step) < n-1 {
				sorted = false
			}
			for ; n <= int(e.Step); n++ {
				off[n] = int32(k)
			}
		}
		for ; n <= T; n++ {
			off[n] = int32(len(b.rows[r]))
		}
		b.offsets = append(b.offsets, off)
	}
	if !sorted {
		b.offsets = nil
	}
	return nil
}

// fillSorted fills the inputs step by step through b.offsets.
func (b *Batcher) fillSorted(s *datasets.Split, idx []int) error {
	for n := range b.inputs {
		in := b.inputs[n]
		in.Clear()
		for r, i := range idx {
			evs := b.rows[r][b.offsets[r][n]:b.offsets[r][n+1]]
			for _, e := range evs {
				if err := in.Add(r, int(e.Unit), float64(e.Value)); err != nil {
					return fmt.Errorf("train: %s sample %d: %w", s.Name, i, err)
				}
			}
		}
	}
	return nil
}

// fillUnsorted fills the inputs one event at a time.
func (b *Batcher) fillUnsorted(s *datasets.Split, idx []int) error {
	for _, e := range b.inputs {
		e.Clear()
	}
	for row, i := range idx {
		for _, e := range b.rows[row] {
			if err := b.inputs[e.Step].Add(row, int(e.Unit), float64(e.Value)); err != nil {
				return fmt.Errorf("train: %s sample %d: %w", s.Name, i, err)
			}
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

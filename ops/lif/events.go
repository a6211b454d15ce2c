package lif

import (
	"fmt"
	"unsafe"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
)

// float is the element type of the tensors the ops work on.
type float = kernel.Float

// Events is one time step of a batch's input held as its non-zero entries:
// a [rows, cols] matrix stored row by row (compressed sparse rows). It is a
// gorgonia.Value, so it binds to an input node of that shape and type with
// gorgonia.Let, and Synapses reads it without scanning a dense tensor: for
// inputs of a few per cent density (SHD's are about 1.5 %) clearing,
// filling and scanning dense rasters costs more than the projection itself.
//
// Only Synapses (and its weight gradient) reads Events; bind them to input
// nodes that feed nothing else. Entries are added row by row; entries at
// the same place add up. An Events must not change while a machine runs.
type Events struct {
	rows, cols int
	dtype      tensor.Dtype
	c32        kernel.CSR[float32]
	c64        kernel.CSR[float64]
	open       int // rows up to open−1 are closed: their start is final
}

// NewEvents returns an empty [rows, cols] Events of dtype Float32 or
// Float64.
func NewEvents(dt tensor.Dtype, rows, cols int) (*Events, error) {
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("lif.NewEvents: dtype %v, want float32 or float64", dt)
	}
	if rows <= 0 || cols <= 0 {
		return nil, fmt.Errorf("lif.NewEvents: shape (%d, %d), want positive sizes", rows, cols)
	}
	e := &Events{rows: rows, cols: cols, dtype: dt}
	e.Clear()
	return e, nil
}

// Clear removes every entry and keeps the memory.
func (e *Events) Clear() {
	e.c32.Reset()
	e.c64.Reset()
	e.c32.Start, e.c64.Start = append(e.c32.Start, 0), append(e.c64.Start, 0)
	e.open = 0
}

// Add adds v at (row, col). Rows must come in non-decreasing order.
func (e *Events) Add(row, col int, v float64) error {
	if row < e.open {
		return fmt.Errorf("lif.Events: entry in row %d after one in row %d: add rows in order", row, e.open)
	}
	if row >= e.rows || col < 0 || col >= e.cols {
		return fmt.Errorf("lif.Events: entry (%d, %d) outside the shape (%d, %d)", row, col, e.rows, e.cols)
	}
	if e.dtype == tensor.Float32 {
		e.open = addEntry(&e.c32, e.open, row, col, float32(v))
	} else {
		e.open = addEntry(&e.c64, e.open, row, col, v)
	}
	return nil
}

// addEntry appends (row, col, v) to c, closing the rows open…row−1, and
// returns the new first open row.
func addEntry[T float](c *kernel.CSR[T], open, row, col int, v T) int {
	for ; open < row; open++ {
		c.Start = append(c.Start, int32(len(c.Col)))
	}
	c.Col = append(c.Col, int32(col))
	c.Val = append(c.Val, v)
	return open
}

// closed returns the entries as a complete index (every row closed).
func closed[T float](e *Events, c *kernel.CSR[T]) *kernel.CSR[T] {
	for len(c.Start) < e.rows+1 {
		c.Start = append(c.Start, int32(len(c.Col)))
	}
	c.Start = c.Start[:e.rows+1]
	return c
}

// events32 returns e's index if v is a float32 Events.
func events32(v any) *kernel.CSR[float32] {
	if e, ok := v.(*Events); ok && e.dtype == tensor.Float32 {
		return closed(e, &e.c32)
	}
	return nil
}

func events64(v any) *kernel.CSR[float64] {
	if e, ok := v.(*Events); ok && e.dtype == tensor.Float64 {
		return closed(e, &e.c64)
	}
	return nil
}

// Len is the number of entries.
func (e *Events) Len() int { return len(e.c32.Col) + len(e.c64.Col) }

// Dense returns the events as a dense [rows, cols] tensor.
func (e *Events) Dense() *tensor.Dense {
	t := tensor.New(tensor.WithShape(e.rows, e.cols), tensor.Of(e.dtype))
	if e.dtype == tensor.Float32 {
		kernel.AddCSR(t.Float32s(), closed(e, &e.c32), e.cols)
	} else {
		kernel.AddCSR(t.Float64s(), closed(e, &e.c64), e.cols)
	}
	return t
}

// The gorgonia.Value methods.

func (e *Events) Shape() tensor.Shape { return tensor.Shape{e.rows, e.cols} }
func (e *Events) Size() int           { return e.rows * e.cols }
func (e *Events) Dtype() tensor.Dtype { return e.dtype }

// Data returns the values of the entries, in order.
func (e *Events) Data() any {
	if e.dtype == tensor.Float32 {
		return e.c32.Val
	}
	return e.c64.Val
}

// Uintptr is the address of the values (0 when there are none).
func (e *Events) Uintptr() uintptr {
	switch {
	case len(e.c32.Val) > 0:
		return uintptr(unsafe.Pointer(&e.c32.Val[0]))
	case len(e.c64.Val) > 0:
		return uintptr(unsafe.Pointer(&e.c64.Val[0]))
	}
	return 0
}

// MemSize is the size of the values in bytes.
func (e *Events) MemSize() uintptr {
	return uintptr(len(e.c32.Val)*4 + len(e.c64.Val)*8)
}

func (e *Events) Format(s fmt.State, verb rune) {
	fmt.Fprintf(s, "Events%v(%v, %d entries)", e.Shape(), e.dtype, e.Len())
}

// sameDtype checks that all inputs are tensors of in[0]'s element type.
func sameDtype(op fmt.Stringer, in []G.Value) error { return sameDtypeOf(op, in, false) }

// sameDtypeOf is sameDtype that also takes Events (and Sequences of
// them) when events is set.
func sameDtypeOf(op fmt.Stringer, in []G.Value, events bool) error {
	for i, v := range in {
		_, isEvents := v.(*Events)
		if _, ok := v.(*Sequence); ok {
			isEvents = true
		}
		if _, ok := v.(tensor.Tensor); !ok && !(events && isEvents) {
			return fmt.Errorf("%v: input %d is a %T, want a tensor", op, i, v)
		}
		if v.Dtype() != in[0].Dtype() {
			return fmt.Errorf("%v: input %d has dtype %v, input 0 has %v", op, i, v.Dtype(), in[0].Dtype())
		}
	}
	return nil
}

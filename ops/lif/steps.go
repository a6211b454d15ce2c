package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// This file holds the input of all time steps as one node (Steps) and
// its value of Events (Sequence).

// Steps returns the T time steps of x, a [T·rows, cols] input, as [rows,
// cols] nodes: step n holds rows n·rows … (n+1)·rows−1 of x.
//
// The synaptic updates of Synapses and Cell that read a step read that
// block of x themselves, so a program whose outputs read x only through
// synapses (compiled with G.CompileFunction) contains one input node, not
// T: Gorgonia's compiler spends time in proportion to nodes × inputs read
// (issue 25). Any other op reads a step node, which copies its block (or
// passes on the step's Events of a Sequence). The steps pass no gradient
// to x.
func Steps(x *G.Node, T int) ([]*G.Node, error) {
	if T < 1 || !x.IsMatrix() || x.Shape()[0]%T != 0 {
		return nil, fmt.Errorf("lif.Steps: %d steps of a %v input", T, x.Shape())
	}
	steps := make([]*G.Node, T)
	for n := range steps {
		var err error
		if steps[n], err = G.ApplyOp(stepOp{opkit.Matrices(1, x), stepBlock{n, T}, x}, x); err != nil {
			return nil, err
		}
	}
	return steps, nil
}

// stepBlock is step n of `of` steps of a value; of = 0 is the whole value.
type stepBlock struct{ n, of int }

func (b stepBlock) String() string {
	if b.of == 0 {
		return ""
	}
	return fmt.Sprintf("step %d/%d", b.n, b.of)
}

// rows returns the rows of the block of a value of the given rows.
func (b stepBlock) rows(all int) int {
	if b.of == 0 {
		return all
	}
	return all / b.of
}

// stepOf returns the input node and block that a synaptic update reads
// for x: x's sequence and step if x is a step of Steps, x itself
// otherwise.
func stepOf(x *G.Node) (*G.Node, stepBlock) {
	if x == nil {
		return nil, stepBlock{}
	}
	op, ok := x.Op().(stepOp)
	if !ok {
		return x, stepBlock{}
	}
	return op.x, op.b
}

// stepValue returns the value of block b of v: the step's Events of a
// Sequence, or v itself, whose data stepData cuts.
func stepValue(v G.Value, b stepBlock) G.Value {
	if s, ok := v.(*Sequence); ok && b.of > 0 {
		return s.steps[b.n]
	}
	return v
}

// stepData returns block b of a dense value's data (stepValue gave
// Events their step already).
func stepData[T float](v G.Value, data []T, b stepBlock) []T {
	if _, ok := v.(*Events); ok || b.of == 0 || data == nil {
		return data
	}
	size := len(data) / b.of
	return data[b.n*size : (b.n+1)*size]
}

// stepRows returns the rows of block b of v, a value stepValue returned.
func stepRows(v G.Value, b stepBlock) int {
	if _, ok := v.(*Events); ok {
		return v.Shape()[0]
	}
	return b.rows(v.Shape()[0])
}

// stepOp is step b.n of its [b.of·rows, cols] input x.
type stepOp struct {
	opkit.Matrix
	b stepBlock
	x *G.Node
}

func (op stepOp) String() string        { return fmt.Sprintf("Step[%d/%d]", op.b.n, op.b.of) }
func (op stepOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op stepOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op stepOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := opkit.Shapes(op, in)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{op.b.rows(s[0][0]), s[0][1]}, nil
}
func (op stepOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo passes on the step's Events of a Sequence, which the
// machine must not write to (no op here does), and copies the block of a
// tensor.
func (op stepOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if s, ok := in[0].(*Sequence); ok {
		if len(s.steps) != op.b.of {
			return nil, fmt.Errorf("%v: a Sequence of %d steps", op, len(s.steps))
		}
		return s.steps[op.b.n], nil
	}
	if err := sameDtype(op, in); err != nil {
		return nil, err
	}
	if _, ok := p.(*tensor.Dense); !ok {
		p = nil
	}
	sh := in[0].Shape()
	out := opkit.NewOutput(p, in[0].Dtype(), op.b.rows(sh[0]), sh[1])
	switch o := opkit.DataOf(out).(type) {
	case []float32:
		copy(o, stepData(in[0], opkit.Slice32(in[0]), op.b))
	case []float64:
		copy(o, stepData(in[0], opkit.Slice64(in[0]), op.b))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}
func (stepOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (op stepOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v: the steps of an input pass no gradient to it", op)
}

// Sequence is the input of T time steps as one value, [T·rows, cols],
// held as an Events per step: step n's rows 0 … rows−1 are its rows
// n·rows … (n+1)·rows−1. It binds (gorgonia.Let) to the input node of
// Steps in place of a dense tensor, and only the steps read it.
type Sequence struct {
	steps []*Events
}

// NewSequence returns the Sequence of steps, which must have one shape
// and dtype. It holds them, not copies: refill them in place.
func NewSequence(steps []*Events) (*Sequence, error) {
	if len(steps) == 0 {
		return nil, fmt.Errorf("lif.NewSequence: no steps")
	}
	for n, e := range steps {
		if !e.Shape().Eq(steps[0].Shape()) || e.Dtype() != steps[0].Dtype() {
			return nil, fmt.Errorf("lif.NewSequence: step %d is %v of %v, step 0 %v of %v", n, e.Shape(), e.Dtype(), steps[0].Shape(), steps[0].Dtype())
		}
	}
	return &Sequence{steps: steps}, nil
}

// The gorgonia.Value methods. Data is nil: the entries are the steps'.

func (s *Sequence) Shape() tensor.Shape {
	sh := s.steps[0].Shape()
	return tensor.Shape{len(s.steps) * sh[0], sh[1]}
}
func (s *Sequence) Size() int           { return len(s.steps) * s.steps[0].Size() }
func (s *Sequence) Dtype() tensor.Dtype { return s.steps[0].Dtype() }
func (s *Sequence) Data() any           { return nil }
func (s *Sequence) Uintptr() uintptr    { return 0 }

// MemSize is the size of the steps' values in bytes.
func (s *Sequence) MemSize() uintptr {
	var m uintptr
	for _, e := range s.steps {
		m += e.MemSize()
	}
	return m
}

func (s *Sequence) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "Sequence%v(%v, %d steps)", s.Shape(), s.Dtype(), len(s.steps))
}

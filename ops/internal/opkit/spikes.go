package opkit

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
)

// A SpikeWriter is an op whose output is a spike raster it indexes as it
// writes it (ops.Spike and the spikes of a lif.Cell), or a copy that shares
// such an index (ops.Detach of spikes).
type SpikeWriter interface {
	SpikeIndex() *index.Spikes
}

// SpikeIndexOf returns the index of the spikes n holds, if n is the output
// of a SpikeWriter, and nil otherwise.
func SpikeIndexOf(n *G.Node) *index.Spikes {
	if n == nil {
		return nil
	}
	if op, ok := n.Op().(SpikeWriter); ok {
		return op.SpikeIndex()
	}
	return nil
}

// A Detacher is an op that passes no gradient back (ops.Detach).
type Detacher interface {
	Detaches()
}

// IsDetached reports whether n is the output of a Detacher: nothing flows
// back through it, so an op reading it need not build a gradient for it.
func IsDetached(n *G.Node) bool {
	_, ok := n.Op().(Detacher)
	return ok
}

// Undetach returns x and true for n = Detach(x), and n and false otherwise.
// An op may read x in place of n if it passes x no gradient: the Detach
// copy then goes unread, and a program compiled for the outputs it needs
// (G.CompileFunction) neither runs nor compiles it.
func Undetach(n *G.Node) (*G.Node, bool) {
	if n == nil || !IsDetached(n) {
		return n, false
	}
	children := n.Graph().From(n.ID())
	if children.Len() != 1 || !children.Next() {
		return n, false
	}
	x, ok := children.Node().(*G.Node)
	if !ok {
		return n, false
	}
	return x, true
}

// SpikeForward is the forward pass of every spike op: H(u − θ) into p
// when p fits u, into a new tensor otherwise, with the spikes indexed into
// si as Heaviside does. Errors name op.
func SpikeForward(op fmt.Stringer, w *parallel.Workers, p, u G.Value, si *index.Spikes) (G.Value, error) {
	out, err := Output(p, u)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	if !Heaviside(w, out, u, si) {
		return nil, DtypeError(op, u)
	}
	return out, nil
}

// Heaviside writes H(u − θ) into out, a tensor of u's shape and dtype,
// indexing the spikes into si when out is a [rows, ·] matrix with rows > 0
// and si is not nil. It reports false for a dtype other than float32 and
// float64.
func Heaviside(w *parallel.Workers, out, u G.Value, si *index.Spikes) bool {
	rows := 0
	if s := out.Shape(); len(s) == 2 && s[0] > 0 && si != nil {
		rows = s[0]
	}
	switch u := DataOf(u).(type) {
	case []float64:
		spikes(w, DataOf(out).([]float64), u, rows, si)
	case []float32:
		spikes(w, DataOf(out).([]float32), u, rows, si)
	default:
		return false
	}
	return true
}

// spikes is kernel.Heaviside, indexing the spikes of a [rows, ·] matrix
// into si (rows > 0).
func spikes[T kernel.Float](w *parallel.Workers, out, u []T, rows int, si *index.Spikes) {
	if rows == 0 || len(out) == 0 {
		kernel.Heaviside(w, out, u)
		return
	}
	index.Heaviside(w, si, out, u, rows)
}

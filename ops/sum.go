package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
)

// Sum returns the element-wise sum of xs, all of one shape, as one node
// (for example a neuron's spike count over all time steps). Each input
// receives the incoming gradient unchanged.
func Sum(xs ...*G.Node) (*G.Node, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("ops.Sum: no inputs")
	}
	op := sumOp{Elementwise: opkit.Elems(len(xs), xs[0])}
	for _, x := range xs {
		si := opkit.SpikeIndexOf(x)
		if si == nil {
			op.spikes = nil
			break
		}
		op.spikes = append(op.spikes, si)
	}
	return G.ApplyOp(op, xs...)
}

type sumOp struct {
	opkit.Elementwise
	spikes []*index.Spikes // of every input, when all are spikes
}

func (op sumOp) String() string                    { return fmt.Sprintf("Sum[%d]", op.N) }
func (op sumOp) WriteHash(h hash.Hash)             { opkit.WriteHash(h, op) }
func (op sumOp) Hashcode() uint32                  { return opkit.Hash(op) }
func (op sumOp) DiffWRT(n int) []bool              { return opkit.AllInputs(n) }
func (op sumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op sumOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch o := opkit.DataOf(out).(type) {
	case []float64:
		if !sumSpikes(o, in, op.spikes) {
			kernel.Sum(op.Workers, o, floats[float64](in))
		}
	case []float32:
		if !sumSpikes(o, in, op.spikes) {
			kernel.Sum(op.Workers, o, floats[float32](in))
		}
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// float is the element type of the tensors the ops work on.
type float = kernel.Float

// floats returns the backing slices of in.
func floats[T float](in []G.Value) [][]T {
	xs := make([][]T, len(in))
	for j, v := range in {
		xs[j] = opkit.DataOf(v).([]T)
	}
	return xs
}

// sumSpikes writes the sum of in into o from the spike indexes of the
// inputs, in work proportional to the number of spikes, and reports whether
// every input had one.
func sumSpikes[T float](o []T, in []G.Value, spikes []*index.Spikes) bool {
	if len(spikes) != len(in) {
		return false
	}
	cs := make([]*kernel.CSR[T], len(in))
	for j, v := range in {
		if cs[j] = index.LookupSpikes(spikes[j], opkit.DataOf(v).([]T)); cs[j] == nil {
			return false
		}
	}
	kernel.SumCSR(o, cs)
	return true
}

func (op sumOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gs := make(G.Nodes, len(in))
	for i := range gs {
		gs[i] = grad
	}
	return gs, nil
}

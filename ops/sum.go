package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"
)

// Sum returns the element-wise sum of xs, all of one shape, as one node
// (for example a neuron's spike count over all time steps). Each input
// receives the incoming gradient unchanged.
func Sum(xs ...*G.Node) (*G.Node, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("ops.Sum: no inputs")
	}
	op := sumOp{elementwise: elems(len(xs), xs[0])}
	for _, x := range xs {
		si := spikeIndexOf(x)
		if si == nil {
			op.spikes = nil
			break
		}
		op.spikes = append(op.spikes, si)
	}
	return G.ApplyOp(op, xs...)
}

type sumOp struct {
	elementwise
	spikes []*spikeIndex // of every input, when all are spikes
}

func (op sumOp) String() string                    { return fmt.Sprintf("Sum[%d]", op.n) }
func (op sumOp) WriteHash(h hash.Hash)             { writeHash(h, op) }
func (op sumOp) Hashcode() uint32                  { return hashOf(op) }
func (op sumOp) DiffWRT(n int) []bool              { return allInputs(n) }
func (op sumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op sumOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := sameKind(op, in); err != nil {
		return nil, err
	}
	out, err := output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch o := dataOf(out).(type) {
	case []float64:
		if !sumSpikes(o, in, op.spikes) {
			sumInto(op.workers, o, in)
		}
	case []float32:
		if !sumSpikes(o, in, op.spikes) {
			sumInto(op.workers, o, in)
		}
	default:
		return nil, dtypeError(op, in[0])
	}
	return out, nil
}

// sumInto writes the sum of in into o, split over goroutines for large
// tensors.
func sumInto[T float](w *Workers, o []T, in []G.Value) {
	xs := make([][]T, len(in))
	for j, v := range in {
		xs[j] = dataOf(v).([]T)
	}
	parallelElems(w, len(o), len(in), func(lo, hi int) {
		copy(o[lo:hi], xs[0][lo:hi])
		for _, x := range xs[1:] {
			add(o[lo:hi], x[lo:hi])
		}
	})
}

// sumSpikes writes the sum of in into o from the spike indexes of the
// inputs, in work proportional to the number of spikes, and reports whether
// every input had one. Each element receives its terms in the same order
// as in sumInto.
func sumSpikes[T float](o []T, in []G.Value, spikes []*spikeIndex) bool {
	if len(spikes) != len(in) {
		return false
	}
	cs := make([]*csr[T], len(in))
	for j, v := range in {
		if cs[j] = spikeCSR(spikes[j], dataOf(v).([]T)); cs[j] == nil {
			return false
		}
	}
	rows := len(cs[0].start) - 1
	cols := len(o) / rows
	clear(o)
	for _, c := range cs {
		for b := 0; b < rows; b++ {
			ob := o[b*cols : (b+1)*cols]
			for k := c.start[b]; k < c.start[b+1]; k++ {
				ob[c.col[k]] += c.val[k]
			}
		}
	}
	return true
}

// add adds x to dst with gonum's assembly axpy.
func add[T float](dst, x []T) {
	switch d := any(dst).(type) {
	case []float32:
		blasImpl.Saxpy(len(d), 1, any(x).([]float32), 1, d, 1)
	case []float64:
		blasImpl.Daxpy(len(d), 1, any(x).([]float64), 1, d, 1)
	}
}

func (op sumOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	gs := make(G.Nodes, len(in))
	for i := range gs {
		gs[i] = grad
	}
	return gs, nil
}

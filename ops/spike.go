package ops

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Threshold is the firing threshold θ: a neuron spikes when U ≥ θ.
const Threshold = 1.0

// Spike returns H(u − θ) element-wise: 1 where u ≥ θ, 0 elsewhere. Its
// gradient is the incoming gradient times the surrogate h(u − θ).
func Spike(u *G.Node, s surrogate.Surrogate) (*G.Node, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return G.ApplyOp(spikeOp{Elementwise: opkit.Elems(1, u), s: s, spikes: &index.Spikes{}}, u)
}

type spikeOp struct {
	opkit.Elementwise
	s      surrogate.Surrogate
	spikes *index.Spikes // of the spikes, for the synapses that read them
}

func (op spikeOp) String() string                    { return fmt.Sprintf("Spike[%v]", op.s) }
func (op spikeOp) WriteHash(h hash.Hash)             { opkit.WriteHash(h, op) }
func (op spikeOp) Hashcode() uint32                  { return opkit.Hash(op) }
func (op spikeOp) DiffWRT(int) []bool                { return []bool{true} }
func (op spikeOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op spikeOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	return opkit.SpikeForward(op, op.Workers, p, in[0], op.spikes)
}

// SpikeIndex returns the index of the spikes, for the synapses that read
// them (opkit.SpikeWriter).
func (op spikeOp) SpikeIndex() *index.Spikes { return op.spikes }

func (op spikeOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	g, err := SurrogateGrad(in[0], grad, op.s)
	return G.Nodes{g}, err
}

// SurrogateGrad returns grad·h(u − θ) element-wise: the backward pass of
// Spike, for ops that build their spikes' gradient themselves (lif.Cell).
// It is differentiable in none of its inputs.
func SurrogateGrad(u, grad *G.Node, s surrogate.Surrogate) (*G.Node, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return G.ApplyOp(surrogateGradOp{opkit.Elems(2, u), s}, u, grad)
}

// surrogateGradOp computes grad·h(u − θ) from (u, grad).
type surrogateGradOp struct {
	opkit.Elementwise
	s surrogate.Surrogate
}

func (op surrogateGradOp) String() string        { return fmt.Sprintf("SurrogateGrad[%v]", op.s) }
func (op surrogateGradOp) WriteHash(h hash.Hash) { opkit.WriteHash(h, op) }
func (op surrogateGradOp) Hashcode() uint32      { return opkit.Hash(op) }
func (op surrogateGradOp) Do(in ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, in...)
}

func (op surrogateGradOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	if err := opkit.SameKind(op, in); err != nil {
		return nil, err
	}
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch u := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.SurrogateGrad(op.Workers, opkit.DataOf(out).([]float64), op.s, u, opkit.DataOf(in[1]).([]float64))
	case []float32:
		kernel.SurrogateGrad(op.Workers, opkit.DataOf(out).([]float32), op.s, u, opkit.DataOf(in[1]).([]float32))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// Detach returns x unchanged in the forward pass and passes no gradient
// back: a stop-gradient.
func Detach(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(detachOp{opkit.Elems(1, x), opkit.SpikeIndexOf(x)}, x)
}

type detachOp struct {
	opkit.Elementwise
	spikes *index.Spikes // of x's spikes, if x is a Spike op's output
}

func (op detachOp) String() string                    { return "Detach" }
func (op detachOp) WriteHash(h hash.Hash)             { opkit.WriteHash(h, op) }
func (op detachOp) Hashcode() uint32                  { return opkit.Hash(op) }
func (op detachOp) DiffWRT(int) []bool                { return []bool{false} }
func (op detachOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// SpikeIndex returns the index of x's spikes, which the copy shares
// (opkit.SpikeWriter).
func (op detachOp) SpikeIndex() *index.Spikes { return op.spikes }

// Detaches marks the op as a stop-gradient (opkit.Detacher).
func (detachOp) Detaches() {}

func (op detachOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return G.Nodes{nil}, nil
}

func (op detachOp) UsePreallocDo(p G.Value, in ...G.Value) (G.Value, error) {
	out, err := opkit.Output(p, in[0])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	switch x := opkit.DataOf(in[0]).(type) {
	case []float64:
		kernel.Copy(op.Workers, opkit.DataOf(out).([]float64), x)
		index.AliasSpikes(op.spikes, x, opkit.DataOf(out).([]float64))
	case []float32:
		kernel.Copy(op.Workers, opkit.DataOf(out).([]float32), x)
		index.AliasSpikes(op.spikes, x, opkit.DataOf(out).([]float32))
	default:
		return nil, opkit.DtypeError(op, in[0])
	}
	return out, nil
}

// The ops of backward passes are differentiable in none of their inputs
// (see opkit.GradientOnly).
func (surrogateGradOp) DiffWRT(n int) []bool { return opkit.GradientOnly(n) }
func (surrogateGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, opkit.ErrSecondOrder
}

package lif

import (
	"fmt"
	"hash"

	G "gorgonia.org/gorgonia"

	"github.com/spikegrad/spikegrad/ops"
	"github.com/spikegrad/spikegrad/ops/internal/index"
	"github.com/spikegrad/spikegrad/ops/internal/opkit"
	"github.com/spikegrad/spikegrad/surrogate"
)

// spikeOp is S[n] of a Cell: the forward pass of ops.Spike, whose backward
// pass builds dU[n] (see Cell) from the gradient that the membrane update
// of step n handed over.
type spikeOp struct {
	opkit.Elementwise
	s      surrogate.Surrogate
	cell   *Cell
	n      int
	spikes *index.Spikes // of the spikes, for the synapses that read them
}

func (op spikeOp) String() string {
	return fmt.Sprintf("Spike#%d[%v,step %d]", op.cell.syn.id, op.s, op.n)
}
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

// SymDiff builds dU[n] from dS[n] and the dU[n+1] that the membrane update
// of step n handed over. Spikes that no membrane update reads (the last
// step's) have nothing handed over: their gradient is ops.SurrogateGrad,
// as a plain ops.Spike's.
func (op spikeOp) SymDiff(in G.Nodes, spikes, grad *G.Node) (G.Nodes, error) {
	rec := op.cell.mem[op.n]
	if rec == nil {
		g, err := ops.SurrogateGrad(in[0], grad, op.s)
		return G.Nodes{g}, err
	}
	rec.taken = true
	if ad := op.cell.adapt; ad != nil {
		e := ad.dw[op.n+1]
		if bp, ok := grad.Op().(backProjOp); ok && bp.g != nil {
			// dS[n] comes from one projection alone: compute it inside.
			args := G.Nodes{in[0], bp.g, bp.w, rec.grad}
			if bp.rows > 0 { // a readout trace's gradient, W_oᵀ after its blocks
				args = G.Nodes{in[0], bp.g, rec.grad}
			}
			if e != nil {
				args = append(args, e)
			}
			args = append(args, ad.alpha, ad.a, ad.b)
			g, err := G.ApplyOp(adGradUProjOp{decayOp{opkit.Matrices(len(args), in[0]), 3}, op.s, e != nil, bp}, args...)
			return G.Nodes{g}, err
		}
		args := G.Nodes{in[0], grad, rec.grad}
		if e != nil {
			args = append(args, e)
		}
		args = append(args, ad.alpha, ad.a, ad.b)
		g, err := G.ApplyOp(adGradUOp{decayOp{opkit.Matrices(len(args), in[0]), 3}, op.s, e != nil}, args...)
		return G.Nodes{g}, err
	}
	if d := op.cell.decays; d != nil {
		if bp, ok := grad.Op().(backProjOp); ok && bp.g != nil && rec.reset != nil {
			// dS[n] comes from one projection alone: compute it inside.
			args := G.Nodes{in[0], spikes, bp.g, bp.w, rec.grad, d.mem}
			if bp.rows > 0 { // a readout trace's gradient, W_oᵀ after its blocks
				args = G.Nodes{in[0], spikes, bp.g, rec.grad, d.mem}
			}
			g, err := G.ApplyOp(gradUProjDecayOp{decayOp{opkit.Matrices(len(args), in[0]), 1}, op.s, bp}, args...)
			return G.Nodes{g}, err
		}
		args := G.Nodes{in[0], grad, rec.grad}
		if rec.reset != nil {
			args = append(args, spikes)
		}
		args = append(args, d.mem)
		g, err := G.ApplyOp(gradUDecayOp{decayOp{opkit.Matrices(len(args), in[0]), 1}, op.s}, args...)
		return G.Nodes{g}, err
	}
	if bp, ok := grad.Op().(backProjOp); ok && bp.g != nil && rec.reset != nil {
		// dS[n] comes from one projection alone: compute it inside.
		args := G.Nodes{in[0], spikes, bp.g, bp.w, rec.grad}
		if bp.rows > 0 { // a readout trace's gradient, W_o after its blocks
			args = G.Nodes{in[0], spikes, bp.g, rec.grad}
		}
		g, err := G.ApplyOp(lifGradUProjOp{opkit.Matrices(len(args), in[0]), op.s, op.cell.betaMem, bp.gain, bp}, args...)
		return G.Nodes{g}, err
	}
	args := G.Nodes{in[0], grad, rec.grad}
	if rec.reset != nil {
		args = append(args, spikes)
	}
	g, err := G.ApplyOp(lifGradUOp{opkit.Matrices(len(args), args[0]), op.s, op.cell.betaMem}, args...)
	return G.Nodes{g}, err
}

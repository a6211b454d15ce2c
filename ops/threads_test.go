package ops

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/ops/internal/kernel"
	"github.com/spikegrad/spikegrad/ops/internal/parallel"
	"github.com/spikegrad/spikegrad/surrogate"
)

// SetThreads gives a graph Workers of its own, which the ops built in it
// use; other graphs keep the default.
func TestSetThreads(t *testing.T) {
	g, other := G.NewGraph(), G.NewGraph()
	if err := SetThreads(g, 1); err != nil {
		t.Fatal(err)
	}
	u := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("u"))
	v := G.NewMatrix(other, tensor.Float64, G.WithShape(2, 3), G.WithName("v"))
	s, err := Spike(u, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10})
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Op().(spikeOp).Workers; w == parallel.Default || w.Limit() != 1 {
		t.Errorf("an op of the bounded graph runs on %+v", w)
	}
	s2, err := Spike(v, surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: 10})
	if err != nil {
		t.Fatal(err)
	}
	if w := s2.Op().(spikeOp).Workers; w != parallel.Default {
		t.Errorf("an op of another graph runs on %+v, want the default", w)
	}
	if err := SetThreads(g, -1); err == nil {
		t.Error("SetThreads(-1) was accepted")
	}
}

// The kernels place the threshold as ops does: the assembly hard-codes it.
func TestKernelConstants(t *testing.T) {
	if Threshold != kernel.Threshold {
		t.Errorf("threshold %v in ops, %v in kernel", Threshold, kernel.Threshold)
	}
}

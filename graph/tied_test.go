package graph_test

import (
	"fmt"
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/ops/loss"
	"github.com/spikegrad/spikegrad/surrogate"
)

// Weight tying: two networks A and B in one graph, each with its own loss,
// share a weight node; the cost is lossA + lossB. The gradient of a shared
// node must be the sum of what each network alone gives it, which the
// plain-Go reference computes network by network.

type tieCase struct {
	tie    string // "hidden" (W and V), "readout" (W_out) or "both"
	inputs string // "different", "first" (the first step's node shared) or "same"
	rec    bool
	fused  bool
	events bool
}

func tieCases() []tieCase {
	var cs []tieCase
	for _, tie := range []string{"hidden", "readout", "both"} {
		for _, in := range []string{"different", "first", "same"} {
			for _, rec := range []bool{false, true} {
				for _, fused := range []bool{false, true} {
					cs = append(cs, tieCase{tie, in, rec, fused, false})
				}
			}
		}
	}
	// Events inputs on the paths that read them.
	for _, fused := range []bool{false, true} {
		cs = append(cs, tieCase{"hidden", "first", true, fused, true}, tieCase{"both", "same", false, fused, true})
	}
	return cs
}

func tieConfig(rec bool) refConfig {
	return refConfig{Inputs: 7, Hidden: []int{6}, Outputs: 4, Steps: 30, Recurrent: rec,
		Surrogate: "superspike", Beta: 5,
		BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10), BetaOut: math.Exp(-1.0 / 20)}
}

// tiedNetworks draws the weights and inputs of A and B for c, tied and
// shared as c says, with both networks active.
func tiedNetworks(t *testing.T, c tieCase, seed uint64) (cfg refConfig, wA, wB refWeights, xA, xB [][]float64, labels []int) {
	t.Helper()
	cfg = tieConfig(c.rec)
	wA, xA, labels, _ = activeCase(t, cfg, seed, binaryInputs)
	wB, xB, _, _ = activeCase(t, cfg, seed+1, binaryInputs)
	if c.tie == "hidden" || c.tie == "both" {
		wB.W[0], wB.V = wA.W[0], wA.V
	}
	if c.tie == "readout" || c.tie == "both" {
		wB.W[1] = wA.W[1]
	}
	switch c.inputs {
	case "same":
		xB = xA
	case "first":
		for b := range xB {
			xB[b] = append([]float64(nil), xB[b]...)
			copy(xB[b][:cfg.Inputs], xA[b][:cfg.Inputs])
		}
	}
	return
}

// tiedGraph builds A and B in one graph, runs forward and backward and
// returns the loss and the gradient of every weight node, by name.
func tiedGraph(t *testing.T, c tieCase, cfg refConfig, wA, wB refWeights, xA, xB [][]float64, labels []int) (float64, map[string][]float64) {
	t.Helper()
	g := G.NewGraph()
	B := len(xA)
	inputs := func(name string, x [][]float64) []*G.Node {
		in := make([]*G.Node, cfg.Steps)
		for n := range in {
			in[n] = inputNode(t, g, fmt.Sprintf("%s%d", name, n), x, n, cfg.Inputs, c.events)
		}
		return in
	}
	inA := inputs("a", xA)
	var inB []*G.Node
	switch c.inputs {
	case "same":
		inB = inA
	case "first":
		inB = append([]*G.Node{inA[0]}, inputs("b", xB)[1:]...)
	default:
		inB = inputs("b", xB)
	}
	H := cfg.Hidden[0]
	WA := matrixNode(g, "W", wA.W[0], cfg.Inputs, H)
	OA := matrixNode(g, "Wout", wA.W[1], H, cfg.Outputs)
	WB, OB := WA, OA
	if c.tie == "readout" {
		WB = matrixNode(g, "WB", wB.W[0], cfg.Inputs, H)
	}
	if c.tie == "hidden" {
		OB = matrixNode(g, "WoutB", wB.W[1], H, cfg.Outputs)
	}
	var VA, VB []*G.Node
	if c.rec {
		VA = []*G.Node{matrixNode(g, "V", wA.V[0], H, H)}
		VB = VA
		if c.tie == "readout" {
			VB = []*G.Node{matrixNode(g, "VB", wB.V[0], H, H)}
		}
	}
	conf := graph.LIFNeuron{
		LIF: graph.LIFConfig{BetaSyn: cfg.BetaSyn, BetaMem: cfg.BetaMem,
			Surrogate: surrogate.Surrogate{Shape: surrogate.SuperSpike, Beta: cfg.Beta}, Fused: c.fused},
		Out: graph.ReadoutConfig{BetaSyn: cfg.BetaSyn, BetaOut: cfg.BetaOut},
	}
	netA, err := graph.Build(inA, conf, weightNodes{W: []*G.Node{WA, OA}, V: VA}.layers(), network.MaxOverTime)
	if err != nil {
		t.Fatal(err)
	}
	netB, err := graph.Build(inB, conf, weightNodes{W: []*G.Node{WB, OB}, V: VB}.layers(), network.MaxOverTime)
	if err != nil {
		t.Fatal(err)
	}
	onehot := make([]float64, B*cfg.Outputs)
	for b, k := range labels {
		onehot[b*cfg.Outputs+k] = 1
	}
	targets := G.NewMatrix(g, tensor.Float64, G.WithName("targets"),
		G.WithValue(tensor.New(tensor.WithShape(B, cfg.Outputs), tensor.WithBacking(onehot))))
	lossA, err := loss.SoftmaxCrossEntropy(netA.Out.Logits, targets)
	if err != nil {
		t.Fatal(err)
	}
	lossB, err := loss.SoftmaxCrossEntropy(netB.Out.Logits, targets)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := G.Add(lossA, lossB)
	if err != nil {
		t.Fatal(err)
	}
	var learn G.Nodes
	seen := map[*G.Node]bool{}
	for _, n := range append(append([]*G.Node{WA, OA, WB, OB}, VA...), VB...) {
		if !seen[n] {
			seen[n] = true
			learn = append(learn, n)
		}
	}
	if _, err := G.Grad(cost, learn...); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.BindDualValues(learn...))
	defer m.Close()
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	grads := map[string][]float64{}
	for _, n := range learn {
		gv, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		grads[n.Name()] = append([]float64(nil), gv.Data().([]float64)...)
	}
	return cost.Value().Data().(float64), grads
}

// inputNode is step n of the batch x ([batch][T·inputs]) as a node bound to
// a dense tensor or to lif.Events.
func inputNode(t *testing.T, g *G.ExprGraph, name string, x [][]float64, n, inputs int, events bool) *G.Node {
	t.Helper()
	B := len(x)
	d := make([]float64, B*inputs)
	for b := range x {
		copy(d[b*inputs:], x[b][n*inputs:(n+1)*inputs])
	}
	var v G.Value = tensor.New(tensor.WithShape(B, inputs), tensor.WithBacking(d))
	if events {
		e, err := lif.NewEvents(tensor.Float64, B, inputs)
		if err != nil {
			t.Fatal(err)
		}
		for k, val := range d {
			if val != 0 {
				if err := e.Add(k/inputs, k%inputs, val); err != nil {
					t.Fatal(err)
				}
			}
		}
		v = e
	}
	node := G.NewMatrix(g, tensor.Float64, G.WithName(name), G.WithShape(B, inputs))
	if err := G.Let(node, v); err != nil {
		t.Fatal(err)
	}
	return node
}

func TestTiedWeightsMatchReference(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a second gradient check, on tied weights: 7 s")
	}
	const tol = 1e-9
	for i, c := range tieCases() {
		name := fmt.Sprintf("tie=%s/inputs=%s/rec=%t/fused=%t/events=%t", c.tie, c.inputs, c.rec, c.fused, c.events)
		t.Run(name, func(t *testing.T) {
			cfg, wA, wB, xA, xB, labels := tiedNetworks(t, c, uint64(100+2*i))
			refA, refB := refRun(cfg, wA, xA, labels), refRun(cfg, wB, xB, labels)
			loss, grads := tiedGraph(t, c, cfg, wA, wB, xA, xB, labels)
			if want := refA.Loss + refB.Loss; math.Abs(loss-want) > tol*want {
				t.Errorf("cost %v, reference %v", loss, want)
			}
			sum := func(a, b []float64) []float64 {
				s := make([]float64, len(a))
				for k := range a {
					s[k] = a[k] + b[k]
				}
				return s
			}
			want := map[string][]float64{}
			switch c.tie {
			case "hidden":
				want["W"], want["Wout"], want["WoutB"] = sum(refA.GradW[0], refB.GradW[0]), refA.GradW[1], refB.GradW[1]
			case "readout":
				want["W"], want["WB"], want["Wout"] = refA.GradW[0], refB.GradW[0], sum(refA.GradW[1], refB.GradW[1])
			case "both":
				want["W"], want["Wout"] = sum(refA.GradW[0], refB.GradW[0]), sum(refA.GradW[1], refB.GradW[1])
			}
			if c.rec {
				if c.tie == "readout" {
					want["V"], want["VB"] = refA.GradV[0], refB.GradV[0]
				} else {
					want["V"] = sum(refA.GradV[0], refB.GradV[0])
				}
			}
			if len(grads) != len(want) {
				t.Fatalf("gradients of %d weight nodes, want %d", len(grads), len(want))
			}
			for name, w := range want {
				if e := relErr(grads[name], w); e > tol {
					t.Errorf("gradient of %s: relative error %.3g > %g\n got  %.4g\n want %.4g", name, e, tol, grads[name][:4], w[:4])
				}
			}
		})
	}
}

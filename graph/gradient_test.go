package graph_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/graph"
	"github.com/spikegrad/spikegrad/internal/tape"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/ops/lif"
	"github.com/spikegrad/spikegrad/ops/loss"
	"github.com/spikegrad/spikegrad/surrogate"
)

// gorgoniaRun builds cfg as a Gorgonia graph (float64), runs forward and
// BPTT on a TapeMachine and returns the same quantities as refRun. The
// machine runs twice: first on the batch with its samples rotated, then,
// after tape.Rewind (which keeps every tensor of the first run) and with
// the gradients zeroed, on the batch itself; the second run is returned, so
// no value of the first may leak into it. fused selects the fused backward
// pass of the LIF layers, events binds the inputs as lif.Events instead of
// dense tensors.
func gorgoniaRun(t *testing.T, cfg refConfig, w refWeights, inputs [][]float64, labels []int, fused, events bool) refResult {
	t.Helper()
	B := len(inputs)
	g := G.NewGraph()
	in := make([]*G.Node, cfg.Steps)
	backing := make([][]float64, cfg.Steps)
	evs := make([]*lif.Events, cfg.Steps)
	load := func(shift int) {
		for n, x := range backing {
			for b := range inputs {
				src := inputs[(b+shift)%B]
				copy(x[b*cfg.Inputs:], src[n*cfg.Inputs:(n+1)*cfg.Inputs])
			}
			if !events {
				continue
			}
			evs[n].Clear()
			for k, v := range x {
				if v != 0 {
					if err := evs[n].Add(k/cfg.Inputs, k%cfg.Inputs, v); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	for n := range in {
		backing[n] = make([]float64, B*cfg.Inputs)
		var val G.Value = tensor.New(tensor.WithShape(B, cfg.Inputs), tensor.WithBacking(backing[n]))
		if events {
			var err error
			if evs[n], err = lif.NewEvents(tensor.Float64, B, cfg.Inputs); err != nil {
				t.Fatal(err)
			}
			val = evs[n]
		}
		in[n] = G.NewMatrix(g, tensor.Float64, G.WithName(fmt.Sprintf("in%d", n)), G.WithShape(B, cfg.Inputs))
		if err := G.Let(in[n], val); err != nil {
			t.Fatal(err)
		}
	}
	sizes := append(append([]int{cfg.Inputs}, cfg.Hidden...), cfg.Outputs)
	var wts weightNodes
	for l := range w.W {
		wts.W = append(wts.W, matrixNode(g, fmt.Sprintf("W%d", l), w.W[l], sizes[l], sizes[l+1]))
	}
	if cfg.Recurrent {
		for l, h := range cfg.Hidden {
			wts.V = append(wts.V, matrixNode(g, fmt.Sprintf("V%d", l), w.V[l], h, h))
		}
	}
	shape, err := surrogate.ParseShape(refShapeName(cfg.Surrogate))
	if err != nil {
		t.Fatal(err)
	}
	red := network.MaxOverTime
	if cfg.SumReadout {
		red = network.SumOverTime
	}
	net, err := graph.Build(in, graph.LIFNeuron{
		LIF: graph.LIFConfig{BetaSyn: cfg.BetaSyn, BetaMem: cfg.BetaMem,
			Surrogate:           surrogate.Surrogate{Shape: shape, Beta: cfg.Beta},
			DifferentiableReset: cfg.DiffReset, RecurrentGrad: cfg.RecurrentGrad, Fused: fused},
		Out:   graph.ReadoutConfig{BetaSyn: cfg.BetaSyn, BetaOut: cfg.BetaOut},
		Euler: cfg.Euler,
	}, wts.layers(), red)
	if err != nil {
		t.Fatal(err)
	}
	onehot := make([]float64, B*cfg.Outputs)
	for b, c := range labels {
		onehot[b*cfg.Outputs+c] = 1
	}
	targets := G.NewMatrix(g, tensor.Float64, G.WithName("targets"),
		G.WithValue(tensor.New(tensor.WithShape(B, cfg.Outputs), tensor.WithBacking(onehot))))
	cost, err := loss.SoftmaxCrossEntropy(net.Out.Logits, targets)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range net.Hidden {
		if cost, err = addPenalties(cost, l.Count, targets, cfg); err != nil {
			t.Fatal(err)
		}
	}
	learn := append(append(G.Nodes(nil), wts.W...), wts.V...)
	grads, err := G.Grad(cost, learn...)
	if err != nil {
		t.Fatal(err)
	}
	outs := append(G.Nodes{cost, net.Out.Logits}, grads...)
	for _, l := range net.Hidden {
		if l.Count != nil {
			outs = append(outs, l.Count)
		}
	}
	prog, locs, err := G.CompileFunction(g, learn, outs)
	if err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g, G.WithPrecompiled(prog, locs), G.BindDualValues(learn...))
	defer m.Close()
	load(1)
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	tape.Rewind(m)
	for _, n := range learn {
		gv, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		clear(gv.Data().([]float64))
	}
	load(0)
	if err := m.RunAll(); err != nil {
		t.Fatal(err)
	}
	res := refResult{Loss: cost.Value().Data().(float64)}
	res.Logits = rows(net.Out.Logits.Value().Data().([]float64), cfg.Outputs)
	for _, l := range net.Hidden {
		if l.Count == nil {
			res.Counts = append(res.Counts, nil)
			continue
		}
		res.Counts = append(res.Counts, rows(l.Count.Value().Data().([]float64), l.Count.Shape()[1]))
	}
	for i, n := range learn {
		gv, err := n.Grad()
		if err != nil {
			t.Fatalf("gradient of %v: %v", n, err)
		}
		d := append([]float64(nil), gv.Data().([]float64)...)
		if i < len(wts.W) {
			res.GradW = append(res.GradW, d)
		} else {
			res.GradV = append(res.GradV, d)
		}
	}
	return res
}

// addPenalties adds the activity regularisers of cfg on one layer's counts.
func addPenalties(cost, counts, targets *G.Node, cfg refConfig) (*G.Node, error) {
	if counts == nil {
		return cost, nil
	}
	if cfg.LambdaLower != 0 {
		p, err := loss.LowerBound(counts, targets, cfg.LambdaLower, cfg.NuLower)
		if err != nil {
			return nil, err
		}
		if cost, err = G.Add(cost, p); err != nil {
			return nil, err
		}
	}
	if cfg.LambdaUpper != 0 {
		p, err := loss.UpperBound(counts, targets, cfg.LambdaUpper, cfg.NuUpper, cfg.UpperExp)
		if err != nil {
			return nil, err
		}
		if cost, err = G.Add(cost, p); err != nil {
			return nil, err
		}
	}
	return cost, nil
}

func refShapeName(s string) string {
	if s == "sigmoid" {
		return "sigmoid"
	}
	return s
}

// weightNodes are a network's weight nodes: W[l] feeds layer l (the last
// the readout), V[l] is hidden layer l's recurrent matrix.
type weightNodes struct{ W, V []*G.Node }

// layers gathers each layer's parameters for graph.Build.
func (w weightNodes) layers() []graph.Params {
	p := make([]graph.Params, len(w.W))
	for l := range w.W {
		p[l].W = w.W[l]
		if l < len(w.V) {
			p[l].V = w.V[l]
		}
	}
	return p
}

func matrixNode(g *G.ExprGraph, name string, vals []float64, rows, cols int) *G.Node {
	return G.NewMatrix(g, tensor.Float64, G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(append([]float64(nil), vals...)))))
}

func rows(flat []float64, cols int) [][]float64 {
	var r [][]float64
	for i := 0; i+cols <= len(flat); i += cols {
		r = append(r, flat[i:i+cols])
	}
	return r
}

// Input kinds of a gradient case: the fast paths for sparse inputs must
// handle any values.
const (
	binaryInputs = iota // 0/1 at 15 % density
	analogInputs        // values in [−1, 2] at 15 % density
	denseInputs         // values in [−1, 2] everywhere
)

// gradCase draws a small random network and batch whose hidden neurons spike
// at moderate rates, so every gradient path carries signal.
func gradCase(cfg refConfig, seed uint64, kind int) (refWeights, [][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	sizes := append(append([]int{cfg.Inputs}, cfg.Hidden...), cfg.Outputs)
	var w refWeights
	for l := 0; l+1 < len(sizes); l++ {
		w.W = append(w.W, uniformMat(rng, sizes[l], sizes[l+1], 6))
	}
	for _, h := range cfg.Hidden {
		w.V = append(w.V, uniformMat(rng, h, h, 2))
	}
	const batch = 3
	inputs := make([][]float64, batch)
	labels := make([]int, batch)
	for b := range inputs {
		inputs[b] = make([]float64, cfg.Steps*cfg.Inputs)
		for i := range inputs[b] {
			switch {
			case kind == denseInputs:
				inputs[b][i] = 3*rng.Float64() - 1
			case rng.Float64() >= 0.15:
			case kind == binaryInputs:
				inputs[b][i] = 1
			default:
				inputs[b][i] = 3*rng.Float64() - 1
			}
		}
		labels[b] = rng.IntN(cfg.Outputs)
	}
	return w, inputs, labels
}

func uniformMat(rng *rand.Rand, rows, cols int, gain float64) []float64 {
	m := make([]float64, rows*cols)
	bound := gain / math.Sqrt(float64(rows))
	for i := range m {
		m[i] = bound * (2*rng.Float64() - 1)
	}
	return m
}

// relErr is max|a−b| over max|b|, the agreement of a whole matrix.
func relErr(a, b []float64) float64 {
	num, den := 0.0, 0.0
	for i := range b {
		num = math.Max(num, math.Abs(a[i]-b[i]))
		den = math.Max(den, math.Abs(b[i]))
	}
	if den == 0 {
		return num
	}
	return num / den
}

func gradCases() []refConfig {
	base := refConfig{Inputs: 7, Outputs: 4, Steps: 40, Beta: 5,
		BetaSyn: math.Exp(-1.0 / 5), BetaMem: math.Exp(-1.0 / 10), BetaOut: math.Exp(-1.0 / 20)}
	var cases []refConfig
	for _, sum := range []bool{false, true} {
		c := base
		c.SumReadout, c.Surrogate = sum, "superspike"
		cases = append(cases, c)
	}
	// Activity regularisers, both exponents, on top of each architecture.
	for _, hidden := range [][]int{{6}, {6, 5}} {
		for _, rec := range []bool{false, true} {
			for _, exp := range []int{1, 2} {
				c := base
				c.Hidden, c.Recurrent, c.Surrogate = hidden, rec, "superspike"
				c.LambdaLower, c.NuLower, c.LambdaUpper, c.NuUpper, c.UpperExp = 0.5, 3, 0.02, 1, exp
				cases = append(cases, c)
			}
		}
	}
	for _, hidden := range [][]int{{6}, {6, 5}} {
		for _, rec := range []bool{false, true} {
			for _, diffReset := range []bool{false, true} {
				for _, recGrad := range []bool{false, true} {
					if recGrad && !rec {
						continue
					}
					for _, sum := range []bool{false, true} {
						for _, sur := range []string{"superspike", "asymptotic", "sigmoid", "esser", "exact"} {
							c := base
							c.Hidden, c.Recurrent, c.DiffReset, c.RecurrentGrad = hidden, rec, diffReset, recGrad
							c.SumReadout, c.Surrogate = sum, sur
							cases = append(cases, c)
						}
					}
				}
			}
		}
	}
	// The explicit-Euler discretisation, in every layer and mixed with the
	// paper's layer by layer.
	for _, hidden := range [][]int{{6}, {6, 5}} {
		for _, rec := range []bool{false, true} {
			for _, diffReset := range []bool{false, true} {
				for _, recGrad := range []bool{false, true} {
					if recGrad && !rec {
						continue
					}
					for _, sum := range []bool{false, true} {
						for _, sur := range []string{"superspike", "sigmoid"} {
							c := base
							c.Hidden, c.Recurrent, c.DiffReset, c.RecurrentGrad = hidden, rec, diffReset, recGrad
							c.SumReadout, c.Surrogate = sum, sur
							c.Euler = make([]bool, len(hidden)+1)
							for l := range c.Euler {
								c.Euler[l] = true
							}
							cases = append(cases, c)
						}
					}
				}
			}
		}
	}
	for _, euler := range [][]bool{{true}, {true, false, true}, {false, true, false}} {
		c := base
		c.Hidden, c.Recurrent, c.Surrogate = []int{6, 5}[:len(euler)-1], true, "superspike"
		c.LambdaLower, c.NuLower, c.LambdaUpper, c.NuUpper, c.UpperExp = 0.5, 6, 0.02, 0.2, 2
		if len(euler) == 1 { // no hidden layer: nothing to regularise
			c.Recurrent, c.LambdaLower, c.LambdaUpper = false, 0, 0
		}
		c.Euler = euler
		cases = append(cases, c)
	}
	return cases
}

func caseName(c refConfig) string {
	red := "max"
	if c.SumReadout {
		red = "sum"
	}
	name := fmt.Sprintf("L%d/rec=%v/diffreset=%v/recgrad=%v/%s/%s/reg=%g,%g,%d", len(c.Hidden), c.Recurrent, c.DiffReset, c.RecurrentGrad, red, c.Surrogate, c.LambdaLower, c.LambdaUpper, c.UpperExp)
	if len(c.Euler) > 0 {
		name += fmt.Sprintf("/euler=%v", c.Euler)
	}
	return name
}

// TestGradientsMatchReference checks the Gorgonia graph's loss, logits,
// spike counts and every weight gradient against the plain-Go BPTT.
// Every case runs with the plain and with the fused backward pass; a few
// run on analog and on dense inputs too.
func TestGradientsMatchReference(t *testing.T) {
	const tol = 1e-9
	type tcase struct {
		cfg           refConfig
		kind          int
		fused, events bool
	}
	var cases []tcase
	for _, cfg := range gradCases() {
		for _, fused := range []bool{false, true} {
			if fused && len(cfg.Euler) > 0 {
				continue // Euler layers have no fused backward pass
			}
			for _, events := range []bool{false, true} {
				cases = append(cases, tcase{cfg, binaryInputs, fused, events})
				if cfg.Surrogate == "superspike" && cfg.LambdaLower == 0 && !cfg.SumReadout {
					cases = append(cases, tcase{cfg, analogInputs, fused, events}, tcase{cfg, denseInputs, fused, events})
				}
			}
		}
	}
	kinds := []string{"binary", "analog", "dense"}
	for i, c := range cases {
		// -short checks every fifth case: each surrogate, readout and
		// depth still shows up, in a tenth of the 80 s.
		if testing.Short() && i%5 != 0 {
			continue
		}
		cfg := c.cfg
		t.Run(fmt.Sprintf("%s/%s/fused=%t/events=%t", caseName(cfg), kinds[c.kind], c.fused, c.events), func(t *testing.T) {
			w, inputs, labels, want := activeCase(t, cfg, uint64(i/4), c.kind)
			got := gorgoniaRun(t, cfg, w, inputs, labels, c.fused, c.events)
			if cfg.LambdaLower != 0 {
				plain := cfg
				plain.LambdaLower, plain.LambdaUpper = 0, 0
				lower, upper := plain, plain
				lower.LambdaLower, upper.LambdaUpper = cfg.LambdaLower, cfg.LambdaUpper
				base := refRun(plain, w, inputs, labels).Loss
				if refRun(lower, w, inputs, labels).Loss == base || refRun(upper, w, inputs, labels).Loss == base {
					t.Fatal("a regulariser is inactive in this case: it tests nothing")
				}
			}
			if e := math.Abs(got.Loss-want.Loss) / math.Abs(want.Loss); e > tol {
				t.Errorf("loss %v, reference %v", got.Loss, want.Loss)
			}
			for b := range want.Logits {
				if e := relErr(got.Logits[b], want.Logits[b]); e > tol {
					t.Errorf("logits of sample %d: %v, reference %v", b, got.Logits[b], want.Logits[b])
				}
			}
			for l := range want.Counts {
				spikes := 0.0
				for b := range want.Counts[l] {
					if relErr(got.Counts[l][b], want.Counts[l][b]) != 0 {
						t.Errorf("layer %d spike counts of sample %d: %v, reference %v", l, b, got.Counts[l][b], want.Counts[l][b])
					}
					for _, c := range want.Counts[l][b] {
						spikes += c
					}
				}
			}
			compareGrads(t, "W", got.GradW, want.GradW, tol)
			compareGrads(t, "V", got.GradV, want.GradV, tol)
		})
	}
}

// activeCase draws cases until every hidden layer spikes and, unless the
// surrogate is exact, every weight matrix receives a gradient.
func activeCase(t *testing.T, cfg refConfig, seed uint64, kind int) (refWeights, [][]float64, []int, refResult) {
	t.Helper()
	for k := uint64(0); k < 50; k++ {
		w, inputs, labels := gradCase(cfg, seed*1000+k, kind)
		res := refRun(cfg, w, inputs, labels)
		if allActive(cfg, res) {
			return w, inputs, labels, res
		}
	}
	t.Fatal("no random case with active layers and gradients found")
	return refWeights{}, nil, nil, refResult{}
}

func allActive(cfg refConfig, res refResult) bool {
	for _, layer := range res.Counts {
		spikes := 0.0
		for _, c := range layer {
			for _, v := range c {
				spikes += v
			}
		}
		if spikes == 0 {
			return false
		}
	}
	for l, g := range append(append([][]float64(nil), res.GradW...), res.GradV...) {
		hidden := l != len(cfg.Hidden)
		if cfg.Surrogate == "exact" && hidden {
			continue
		}
		if relErr(g, make([]float64, len(g))) == 0 {
			return false
		}
	}
	return true
}

func compareGrads(t *testing.T, name string, got, want [][]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d %s gradients, reference has %d", len(got), name, len(want))
	}
	for l := range want {
		if e := relErr(got[l], want[l]); e > tol {
			t.Errorf("%s%d gradient: relative error %.3g > %g", name, l, e, tol)
		}
	}
}

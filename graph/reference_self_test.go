package graph_test

// Tests of the plain-Go reference itself. The gradient tests replace the Heaviside
// with a sigmoid whose exact derivative is handed to the backward pass, so BPTT must
// then agree with finite differences of the loss; the detached variants are checked
// against finite differences of a forward pass in which the detached spikes are frozen
// constants.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refSmoothBeta is the sigmoid steepness of the smooth stand-in for the Heaviside.
const refSmoothBeta = 4

// refSmoothHooks makes the network differentiable: S = s(beta x), dS/dU = beta s(1-s).
func refSmoothHooks() refHooks {
	s := func(x float64) float64 { return 1 / (1 + math.Exp(-refSmoothBeta*x)) }
	return refHooks{
		spike:      s,
		spikeDeriv: func(x float64) float64 { v := s(x); return refSmoothBeta * v * (1 - v) },
	}
}

// refTestNet builds a small random network and batch. Weights are scaled so that
// membranes wander around the threshold and the smooth spikes are neither all 0 nor 1.
func refTestNet(cfg refConfig, seed uint64, batch int) (refWeights, [][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	mat := func(fanIn, fanOut int, scale float64) []float64 {
		m := make([]float64, fanIn*fanOut)
		for i := range m {
			m[i] = scale * (rng.Float64()*2 - 0.7) / math.Sqrt(float64(fanIn))
		}
		return m
	}
	var w refWeights
	fanIn := cfg.Inputs
	for _, H := range cfg.Hidden {
		w.W = append(w.W, mat(fanIn, H, 3))
		if cfg.Recurrent {
			w.V = append(w.V, mat(H, H, 1.5))
		}
		fanIn = H
	}
	w.W = append(w.W, mat(fanIn, cfg.Outputs, 2))

	inputs := make([][]float64, batch)
	labels := make([]int, batch)
	for b := range inputs {
		inputs[b] = make([]float64, cfg.Steps*cfg.Inputs)
		for j := range inputs[b] {
			if rng.Float64() < 0.6 { // analog values with some silent bins
				inputs[b][j] = rng.Float64()
			}
		}
		labels[b] = rng.IntN(cfg.Outputs)
	}
	return w, inputs, labels
}

// refSpikingSteps is long enough for refTestNet's second hidden layer to spike with
// the real Heaviside (12 steps are too few for the two-step-per-layer latency).
const refSpikingSteps = 30

// refBaseConfig is the shape every gradient test uses; callers flip the options.
func refBaseConfig(hidden []int) refConfig {
	return refConfig{
		Inputs: 3, Hidden: hidden, Outputs: 3, Steps: 12,
		Surrogate: "superspike", Beta: 1,
		BetaSyn: 0.8, BetaMem: 0.9, BetaOut: 0.85,
	}
}

// refWithRegularisers switches both regularisers on with thresholds picked from the
// unregularised spike counts, so that both are active and some neurons sit on each
// side of NuLower (a regulariser that never fires would test nothing).
func refWithRegularisers(t *testing.T, cfg refConfig, w refWeights, in [][]float64, lab []int, hk refHooks, exp int) refConfig {
	t.Helper()
	res, _ := refRunWith(cfg, w, in, lab, hk)
	lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
	count := 0
	for _, layer := range res.Counts {
		for _, trial := range layer {
			for _, c := range trial {
				lo, hi, mean = math.Min(lo, c), math.Max(hi, c), mean+c
				count++
			}
		}
	}
	mean /= float64(count)
	cfg.LambdaLower, cfg.NuLower = 0.3, mean
	cfg.LambdaUpper, cfg.NuUpper, cfg.UpperExp = 0.2, lo/2, exp
	if !(lo < mean && mean < hi) {
		t.Fatalf("spike counts too uniform to exercise the lower regulariser: min %g mean %g max %g", lo, mean, hi)
	}
	with, _ := refRunWith(cfg, w, in, lab, hk)
	if with.Loss-res.Loss < 1e-3 {
		t.Fatalf("regularisers add only %g to the loss", with.Loss-res.Loss)
	}
	return cfg
}

// refFiniteDiff compares grad against a fourth-order central difference of the loss
// that refRunWith(..., hk) computes, for every entry of every W and V matrix.
func refFiniteDiff(t *testing.T, cfg refConfig, w refWeights, in [][]float64, lab []int, hk refHooks, grad refResult) {
	t.Helper()
	const h, tol = 1e-4, 1e-6
	loss := func() float64 { r, _ := refRunWith(cfg, w, in, lab, hk); return r.Loss }
	check := func(kind string, ms, gs [][]float64) {
		for l, m := range ms {
			peak := 0.0
			for j := range m {
				orig := m[j]
				at := func(d float64) float64 { m[j] = orig + d; return loss() }
				fd := (8*(at(h)-at(-h)) - (at(2*h) - at(-2*h))) / (12 * h)
				m[j] = orig
				g := gs[l][j]
				if math.Abs(g-fd) > tol*math.Max(math.Abs(g), math.Abs(fd))+1e-10 {
					t.Errorf("%s[%d][%d]: BPTT %.12g, finite difference %.12g", kind, l, j, g, fd)
				}
				peak = math.Max(peak, math.Abs(g))
			}
			if peak < 1e-4 {
				t.Errorf("%s[%d]: gradient vanishes (max |g| = %g), the check is vacuous", kind, l, peak)
			}
		}
	}
	check("W", w.W, grad.GradW)
	if cfg.Recurrent {
		check("V", w.V, grad.GradV)
	}
}

// TestRefGradFiniteDiff: with a smooth spike and every gradient path enabled, BPTT is
// the exact gradient of the forward pass.
func TestRefGradFiniteDiff(t *testing.T) {
	for _, hidden := range [][]int{nil, {4}, {4, 3}} {
		for _, rec := range []bool{false, true} {
			if rec && len(hidden) == 0 {
				continue
			}
			for _, sum := range []bool{false, true} {
				for _, reg := range []int{0, 1, 2} {
					if reg > 0 && len(hidden) == 0 {
						continue
					}
					name := fmt.Sprintf("hidden=%v/rec=%v/sum=%v/regexp=%d", hidden, rec, sum, reg)
					t.Run(name, func(t *testing.T) {
						cfg := refBaseConfig(hidden)
						cfg.Recurrent, cfg.RecurrentGrad, cfg.DiffReset, cfg.SumReadout = rec, true, true, sum
						w, in, lab := refTestNet(cfg, uint64(len(hidden)*100+len(name)), 3)
						hk := refSmoothHooks()
						if reg > 0 {
							cfg = refWithRegularisers(t, cfg, w, in, lab, hk, reg)
						}
						grad, _ := refRunWith(cfg, w, in, lab, hk)
						refFiniteDiff(t, cfg, w, in, lab, hk, grad)
					})
				}
			}
		}
	}
}

// TestRefGradDetached: a detached reset or recurrence must give the exact gradient of
// a forward pass in which the detached spikes are constants equal to their values.
func TestRefGradDetached(t *testing.T) {
	for _, c := range []struct{ diffReset, recGrad bool }{{false, true}, {true, false}, {false, false}} {
		for _, sum := range []bool{false, true} {
			name := fmt.Sprintf("diffReset=%v/recGrad=%v/sum=%v", c.diffReset, c.recGrad, sum)
			t.Run(name, func(t *testing.T) {
				cfg := refBaseConfig([]int{4, 3})
				cfg.Recurrent, cfg.DiffReset, cfg.RecurrentGrad, cfg.SumReadout = true, c.diffReset, c.recGrad, sum
				w, in, lab := refTestNet(cfg, 42, 3)
				hk := refSmoothHooks()
				cfg = refWithRegularisers(t, cfg, w, in, lab, hk, 2)
				grad, spikes := refRunWith(cfg, w, in, lab, hk)

				frozen := refSmoothHooks()
				frozen.frozen, frozen.freezeReset, frozen.freezeRec = spikes, !c.diffReset, !c.recGrad
				refFiniteDiff(t, cfg, w, in, lab, frozen, grad)
			})
		}
	}
}

// TestRefOptionsMatter: each gradient option must change the gradient when (and only
// when) the path it controls exists, with the real Heaviside forward pass.
func TestRefOptionsMatter(t *testing.T) {
	run := func(rec, recGrad, diffReset bool) refResult {
		cfg := refBaseConfig([]int{5, 4})
		cfg.Steps = refSpikingSteps
		// The sum readout: with this draw the max readout sits at U_o[1] = 0, which has
		// no gradient at all.
		cfg.Recurrent, cfg.RecurrentGrad, cfg.DiffReset, cfg.SumReadout = rec, recGrad, diffReset, true
		w, in, lab := refTestNet(cfg, 3, 4)
		res := refRun(cfg, w, in, lab)
		for l, layer := range res.Counts {
			if refSum(layer) == 0 || refSum(res.GradW[l:l+1]) == 0 {
				t.Fatalf("layer %d never spikes or has no gradient, nothing to test", l)
			}
		}
		return res
	}
	if !refSameGrads(run(false, false, false), run(false, true, false)) {
		t.Error("RecurrentGrad changed the gradient of a non-recurrent network")
	}
	if refSameGrads(run(true, false, false), run(true, true, false)) {
		t.Error("RecurrentGrad did not change the gradient of a recurrent network")
	}
	if refSameGrads(run(false, false, false), run(false, false, true)) {
		t.Error("DiffReset did not change the gradient")
	}
}

// TestRefSurrogatePlumbing: the configured surrogate is what the backward pass uses.
// Without recurrence, a differentiable reset or regularisers, every path from the loss
// to W[l] crosses exactly len(Hidden)-l surrogates, so the asymptotic surrogate (beta
// times superspike) scales that gradient by beta^(len(Hidden)-l), and "exact" zeroes
// every hidden gradient.
func TestRefSurrogatePlumbing(t *testing.T) {
	cfg := refBaseConfig([]int{5, 4})
	cfg.Steps, cfg.Beta = refSpikingSteps, 2.5
	w, in, lab := refTestNet(cfg, 11, 4)
	grads := map[string]refResult{}
	for _, s := range []string{"superspike", "asymptotic", "exact"} {
		cfg.Surrogate = s
		grads[s] = refRun(cfg, w, in, lab)
	}
	L := len(cfg.Hidden)
	for l := range w.W {
		factor := math.Pow(cfg.Beta, float64(L-l))
		for j, g := range grads["superspike"].GradW[l] {
			if a := grads["asymptotic"].GradW[l][j]; math.Abs(a-factor*g) > 1e-12*(1+math.Abs(a)) {
				t.Errorf("W[%d][%d]: asymptotic %g, want %g x superspike %g", l, j, a, factor, g)
			}
			if e := grads["exact"].GradW[l][j]; l < L && e != 0 {
				t.Errorf("W[%d][%d]: exact surrogate gives gradient %g", l, j, e)
			}
		}
		if refSum([][]float64{grads["superspike"].GradW[l]}) == 0 {
			t.Errorf("W[%d]: zero gradient, the comparison is vacuous", l)
		}
	}
}

// TestRefSurrogateValues checks each surrogate against hand-computed values.
func TestRefSurrogateValues(t *testing.T) {
	cases := []struct {
		name    string
		beta, x float64
		want    float64
	}{
		{"superspike", 2, 0.5, 0.25},            // 1/(1+1)^2
		{"superspike", 1, -1.5, 0.16},           // 1/2.5^2
		{"superspike", 0, 3, 1},                 // beta = 0 is flat
		{"superspike", 10, 0, 1},                // peak 1
		{"asymptotic", 2, 0.5, 0.5},             // 2/(1+1)^2
		{"asymptotic", 3, -1, 0.1875},           // 3/4^2
		{"asymptotic", 5, 0, 5},                 // peak beta
		{"sigmoid", 1, 0, 0.25},                 // s = 1/2
		{"sigmoid", 2, math.Log(3) / 2, 0.1875}, // s = 3/4
		{"sigmoid", 2, -math.Log(3) / 2, 0.1875},
		{"sigmoid", 1, 1000, 0}, // far tail, no NaN
		{"esser", 0.5, 1, 0.5},
		{"esser", 2, -0.25, 0.5},
		{"esser", 2, 0.75, 0}, // clipped at zero
		{"esser", 2, 0, 1},
		{"exact", 1, 0, 0},
	}
	for _, c := range cases {
		if got := refSurrogate(c.name, c.beta, c.x); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("refSurrogate(%q, %g, %g) = %.17g, want %g", c.name, c.beta, c.x, got, c.want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("unknown surrogate name did not panic")
		}
	}()
	refSurrogate("heaviside", 1, 0)
}

// refHandNet is a 2-input, 2-neuron, 2-output network with instantaneous synapses
// (bsyn = 0), so that U[n+2] = S_in[n]·W·(1-S[n+1]) when bmem = 0: in0 drives h0 with
// weight 1, in1 drives h1 with weight 2, and each readout weight row is one neuron's.
func refHandNet() (refConfig, refWeights, [][]float64) {
	cfg := refConfig{
		Inputs: 2, Hidden: []int{2}, Outputs: 2, Steps: 10,
		Surrogate: "superspike", Beta: 1,
	}
	w := refWeights{W: [][]float64{{1, 0, 0, 2}, {0.1, -0.2, 0.3, 0.05}}}
	in := make([]float64, cfg.Steps*cfg.Inputs)
	for _, n := range []int{0, 3, 6} {
		in[n*2] = 1 // h0 reaches exactly U = 1 two steps later: spikes at 2, 5, 8
	}
	in[1*2+1] = 0.5  // U = 0.5*2 = 1 exactly at n = 3: H(0) = 1 means a spike
	in[5*2+1] = 0.49 // U = 0.98 at n = 7: no spike
	return cfg, w, [][]float64{in}
}

// TestRefForwardByHand: spike times, two-step latency, H(0) = 1, and both readouts.
func TestRefForwardByHand(t *testing.T) {
	cfg, w, in := refHandNet()
	noGrad := func(float64) float64 { return 0 }
	_, spikes := refRunWith(cfg, w, in, []int{0}, refHooks{spike: refHeaviside, spikeDeriv: noGrad})
	want := [2][]int{{2, 5, 8}, {3}}
	for i := range 2 {
		var got []int
		for n, s := range spikes[0][0] {
			if s[i] == 1 {
				got = append(got, n)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[i]) {
			t.Errorf("h%d spikes at %v, want %v", i, got, want[i])
		}
	}

	// bout = 0 makes U_o[n] = S[n-2]·W_o: the sum readout adds up every spike (all at
	// n <= T-2) and the max readout picks the largest single weight, or 0.
	for _, c := range []struct {
		sum  bool
		want []float64
	}{{true, []float64{3*0.1 + 0.3, 3*-0.2 + 0.05}}, {false, []float64{0.3, 0.05}}} {
		cfg.SumReadout = c.sum
		res := refRun(cfg, w, in, []int{1})
		z := res.Logits[0]
		if math.Abs(z[0]-c.want[0]) > 1e-12 || math.Abs(z[1]-c.want[1]) > 1e-12 {
			t.Errorf("sum=%v: logits %v, want %v", c.sum, z, c.want)
		}
		ce := math.Log(math.Exp(z[0])+math.Exp(z[1])) - z[1]
		if math.Abs(res.Loss-ce) > 1e-12 {
			t.Errorf("sum=%v: loss %.17g, want %.17g", c.sum, res.Loss, ce)
		}
		if fmt.Sprint(res.Counts) != "[[[3 1]]]" {
			t.Errorf("counts %v, want [[[3 1]]]", res.Counts)
		}
	}
}

// TestRefResetByHand: with bmem = 0.5 a single strong input leaves U = 2, then 1, then
// 0.5 ... without reset; the reset must stop the second spike.
func TestRefResetByHand(t *testing.T) {
	cfg := refConfig{Inputs: 1, Hidden: []int{1}, Outputs: 1, Steps: 6, Surrogate: "exact", BetaMem: 0.5}
	in := make([]float64, cfg.Steps)
	in[0] = 4 // I[1] = 4, U[2] = 0.5*4 = 2, then U[3] = 0.5*2 = 1 if not reset
	res := refRun(cfg, refWeights{W: [][]float64{{1}, {1}}}, [][]float64{in}, []int{0})
	if c := res.Counts[0][0][0]; c != 1 {
		t.Errorf("spike count %g, want 1", c)
	}
}

// TestRefRegulariserByHand: the penalties on the hand network (counts 3 and 1, M = 2).
func TestRefRegulariserByHand(t *testing.T) {
	cfg, w, in := refHandNet()
	cfg.SumReadout = true
	base := refRun(cfg, w, in, []int{0}).Loss
	cfg.LambdaLower, cfg.NuLower = 0.5, 2 // only h1 is short, by 1: 0.5/2 * 1^2
	cfg.LambdaUpper, cfg.NuUpper = 0.2, 0.5
	for exp, upper := range map[int]float64{1: 0.2 * 1.5, 2: 0.2 * 1.5 * 1.5} { // mean 2
		cfg.UpperExp = exp
		if got, want := refRun(cfg, w, in, []int{0}).Loss-base, 0.25+upper; math.Abs(got-want) > 1e-14 {
			t.Errorf("UpperExp=%d: penalty %.17g, want %g", exp, got, want)
		}
	}
	cfg.NuUpper = 3 // mean below the threshold: no upper penalty
	if got := refRun(cfg, w, in, []int{0}).Loss - base; math.Abs(got-0.25) > 1e-14 {
		t.Errorf("inactive upper penalty: got %.17g, want 0.25", got)
	}
}

// TestRefMaxReadoutTie: a tie in U_o sends the whole gradient to the earliest step.
// With no hidden layer and bsyn = bout = 0, U_o[n] = S_in[n-2]·W_o. Input 0 fires at
// n = 0 and n = 2 and input 1 only at n = 0; with W_o[1][*] = 0 both give the same
// U_o, so only the earliest-step rule gives W_o[1] the same gradient as W_o[0].
func TestRefMaxReadoutTie(t *testing.T) {
	cfg := refConfig{Inputs: 2, Outputs: 2, Steps: 6, Surrogate: "exact"}
	in := make([]float64, cfg.Steps*cfg.Inputs)
	in[0], in[1], in[2*2] = 1, 1, 1
	w := refWeights{W: [][]float64{{0.7, 0.4, 0, 0}}}
	res := refRun(cfg, w, [][]float64{in}, []int{0})
	g := res.GradW[0]
	for k := range 2 {
		if g[k] == 0 || g[2+k] != g[k] {
			t.Errorf("output %d: gradient %g on W_o[0], %g on W_o[1]; want equal and non-zero", k, g[k], g[2+k])
		}
	}
}

// TestRefBatchMean: a batch is the mean of its trials, each computed on its own.
func TestRefBatchMean(t *testing.T) {
	cfg := refBaseConfig([]int{4})
	cfg.Recurrent, cfg.LambdaLower, cfg.NuLower = true, 0.1, 3
	w, in, lab := refTestNet(cfg, 5, 3)
	all := refRun(cfg, w, in, lab)
	loss := 0.0
	gw := refZerosLike(all.GradW)
	for b := range in {
		one := refRun(cfg, w, in[b:b+1], lab[b:b+1])
		loss += one.Loss / 3
		for l := range gw {
			for j := range gw[l] {
				gw[l][j] += one.GradW[l][j] / 3
			}
		}
		if fmt.Sprint(one.Logits[0], one.Counts[0][0]) != fmt.Sprint(all.Logits[b], all.Counts[0][b]) {
			t.Errorf("trial %d: logits/counts differ when run alone", b)
		}
	}
	if math.Abs(loss-all.Loss) > 1e-14 {
		t.Errorf("batch loss %g, mean of trials %g", all.Loss, loss)
	}
	for l := range gw {
		for j := range gw[l] {
			if math.Abs(gw[l][j]-all.GradW[l][j]) > 1e-14 {
				t.Errorf("GradW[%d][%d]: batch %g, mean of trials %g", l, j, all.GradW[l][j], gw[l][j])
			}
		}
	}
}

func refSameGrads(a, b refResult) bool {
	return fmt.Sprint(a.GradW, a.GradV) == fmt.Sprint(b.GradW, b.GradV)
}

func refSum(ms [][]float64) float64 {
	s := 0.0
	for _, m := range ms {
		for _, v := range m {
			s += math.Abs(v)
		}
	}
	return s
}

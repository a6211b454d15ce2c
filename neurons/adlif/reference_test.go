package adlif_test

import (
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/neurontest"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
)

// fixed is the model without learnt per-neuron parameters: its layers get
// none and use the middle of each range.
type fixed struct{ adlif.Neuron }

func (fixed) Name() string                      { return "test-adlif-fixed" }
func (fixed) Params(bool) []network.NeuronParam { return nil }

func init() {
	network.Register(adlif.Neuron{})
	network.Register(fixed{})
}

// spec is a small network of the model, active enough to spike.
func spec(neuron string, hidden []int, recurrent bool, red network.Reduction) network.Spec {
	s := network.Default()
	s.Neuron = neuron
	s.Inputs, s.Outputs, s.Steps = 6, 3, 24
	s.Hidden, s.Recurrent, s.Readout = hidden, recurrent, red
	s.TauMem, s.TauSyn, s.TauReadout, s.Gain = 4, 3, 6, 8
	return s
}

// The gradients of the model's graph, built by models.New as for
// training, are those of a plain-Go float64 forward pass and hand-written
// backpropagation through time of the equations in the package doc, with
// learnt (drawn, heterogeneous) and fixed per-neuron parameters.
func TestGradientsMatchTheReference(t *testing.T) {
	cases := []struct {
		name      string
		neuron    string
		hidden    []int
		recurrent bool
		red       network.Reduction
		diff      bool // --diff-reset, and --recurrent-grad if recurrent
	}{
		{"one layer", adlif.Name, []int{8}, false, network.MaxOverTime, false},
		{"two layers, sum", adlif.Name, []int{8, 5}, false, network.SumOverTime, false},
		{"recurrent", adlif.Name, []int{7}, true, network.MaxOverTime, false},
		{"recurrent, gradient through reset and recurrence", adlif.Name, []int{7}, true, network.MaxOverTime, true},
		{"two layers, gradient through reset", adlif.Name, []int{8, 5}, false, network.MaxOverTime, true},
		{"fixed parameters, one layer", "test-adlif-fixed", []int{8}, false, network.MaxOverTime, false},
		{"fixed parameters, recurrent", "test-adlif-fixed", []int{7}, true, network.MaxOverTime, true},
		{"fixed parameters, two recurrent layers", "test-adlif-fixed", []int{7, 6}, true, network.SumOverTime, false},
	}
	worst := 0.0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := spec(c.neuron, c.hidden, c.recurrent, c.red)
			s.DifferentiableReset, s.RecurrentGrad = c.diff, c.diff && c.recurrent
			w, err := models.Init(s, 3, tensor.Float64)
			if err != nil {
				t.Fatal(err)
			}
			const B = 4
			x, labels := neurontest.Inputs(s, B, 5)
			got, loss := neurontest.GraphGrads(t, s, w, x, labels)
			ref := reference(s, w, x, labels)
			worst = math.Max(worst, neurontest.CompareGradients(t, w.Names(), got, loss, ref.loss, ref.grads, ref.spikes))
		})
	}
	t.Logf("largest gradient error, relative to max(1, the largest reference entry): %.2g", worst)
}

// Init draws each hidden neuron's parameters from the seed, differently for
// every neuron, the same for float32 and float64, and leaves the weights of
// the seed as they are.
func TestInitDrawsHeterogeneousParameters(t *testing.T) {
	s := spec(adlif.Name, []int{50}, true, network.MaxOverTime)
	w64, err := models.Init(s, 9, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	w32, err := models.Init(s, 9, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	if len(w64.Neuron) != 4 {
		t.Fatalf("%d per-neuron parameters, want 4: %v", len(w64.Neuron), w64.Names())
	}
	r := adlif.RangesOf(s)
	for i, m := range w64.Neuron {
		d := m.Data().([]float64)
		d32 := w32.Neuron[i].Data().([]float32)
		distinct := map[float64]bool{}
		for j, th := range d {
			distinct[th] = true
			if float32(th) != d32[j] {
				t.Errorf("%s[%d]: float64 %v, float32 %v", w64.Names()[len(w64.W)+len(w64.V)+i], j, th, d32[j])
			}
			p := r.Value(i, th)
			lo, hi := r.Lo[i]+0.04*(r.Hi[i]-r.Lo[i]), r.Hi[i]-0.04*(r.Hi[i]-r.Lo[i])
			if !(p > lo && p < hi) {
				t.Errorf("parameter %d of neuron %d is %v, outside the central 90 %% of [%v, %v]", i, j, p, r.Lo[i], r.Hi[i])
			}
		}
		if len(distinct) < 45 {
			t.Errorf("parameter %d: %d distinct values among 50 neurons", i, len(distinct))
		}
	}
	plain := s
	plain.Neuron = network.DefaultNeuron
	lif, err := models.Init(plain, 9, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	for i := range lif.W {
		a, b := lif.W[i].Data().([]float64), w64.W[i].Data().([]float64)
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("W%d differs from the LIF's of the same seed", i)
			}
		}
	}
}

type refResult struct {
	loss   float64
	grads  [][]float64 // in Weights.All order
	spikes []float64   // per hidden layer
}

// layerParams are one hidden layer's α, ρ, a, b per neuron and, for learnt
// ones, dp/dθ.
type layerParams struct {
	p, dp [4][]float64
}

// reference is the model in plain Go: forward pass, softmax cross-entropy
// averaged over the batch, and BPTT with the SuperSpike surrogate, the
// reset and the recurrence detached unless the spec says otherwise.
func reference(s network.Spec, w *models.Weights, x [][]float64, labels []int) refResult {
	T, L := s.Steps, len(s.Hidden)
	sz := s.Sizes()
	betaSyn, betaOut := s.Decay(s.TauSyn), s.Decay(s.TauReadout)
	h := func(u float64) float64 { d := s.Surrogate.Beta*math.Abs(u-1) + 1; return 1 / (d * d) }
	r := adlif.RangesOf(s)
	learnt := len(w.Neuron) > 0
	prm := make([]layerParams, L)
	gTheta := make([][]float64, len(w.Neuron))
	for l := range prm {
		for i := 0; i < 4; i++ {
			H := sz[l+1]
			prm[l].p[i], prm[l].dp[i] = make([]float64, H), make([]float64, H)
			for j := range H {
				th := 0.0
				if learnt {
					th = w.Neuron[4*l+i].Data().([]float64)[j]
				}
				sig := 1 / (1 + math.Exp(-th))
				prm[l].p[i][j] = r.Value(i, th)
				prm[l].dp[i][j] = (r.Hi[i] - r.Lo[i]) * sig * (1 - sig)
			}
			if learnt {
				gTheta[4*l+i] = make([]float64, H)
			}
		}
	}
	W := make([][]float64, L+1)
	gW := make([][]float64, L+1)
	for l := range W {
		W[l], gW[l] = w.W[l].Data().([]float64), make([]float64, sz[l]*sz[l+1])
	}
	V := make([][]float64, len(w.V))
	gV := make([][]float64, len(w.V))
	for l := range V {
		V[l], gV[l] = w.V[l].Data().([]float64), make([]float64, sz[l+1]*sz[l+1])
	}
	res := refResult{spikes: make([]float64, L)}
	B := float64(len(x))
	for b := range x {
		// acts[l][n] is the input of layer l at step n; acts[l+1] its spikes.
		acts := make([][][]float64, L+2)
		acts[0] = make([][]float64, T)
		for n := range acts[0] {
			acts[0][n] = x[b][n*s.Inputs : (n+1)*s.Inputs]
		}
		// U[l][n], A[l][n] (the adaptation w), X[l][n] (the input current
		// of step n) for n = 0 … T−1.
		U := make([][][]float64, L)
		A := make([][][]float64, L)
		X := make([][][]float64, L)
		for l := 0; l < L; l++ {
			H := sz[l+1]
			alpha, rho, a, bb := prm[l].p[0], prm[l].p[1], prm[l].p[2], prm[l].p[3]
			U[l], A[l], X[l] = make([][]float64, T), make([][]float64, T), make([][]float64, T)
			acts[l+1] = make([][]float64, T)
			u, aw := make([]float64, H), make([]float64, H)
			for n := 0; n < T; n++ {
				U[l][n], A[l][n] = append([]float64(nil), u...), append([]float64(nil), aw...)
				spk := make([]float64, H)
				for i := range u {
					if u[i] >= 1 {
						spk[i] = 1
						res.spikes[l]++
					}
				}
				acts[l+1][n] = spk
				xc := neurontest.Project(acts[l][n], W[l], H)
				if s.Recurrent {
					neurontest.AddTo(xc, neurontest.Project(spk, V[l], H))
				}
				X[l][n] = xc
				for i := range u {
					aw[i] = rho[i]*aw[i] + a[i]*u[i] + bb[i]*spk[i]
					u[i] = alpha[i]*(u[i]-spk[i]) + (1-alpha[i])*(xc[i]-aw[i])
				}
			}
		}
		// Readout: uo[n] is U_o[n], n = 0 … T; io[n] is I_o[n].
		K := s.Outputs
		uo, io := make([][]float64, T+1), make([][]float64, T+1)
		uo[0], io[0] = make([]float64, K), make([]float64, K)
		for n := 0; n < T; n++ {
			a := neurontest.Project(acts[L][n], W[L], K)
			uo[n+1], io[n+1] = make([]float64, K), make([]float64, K)
			for k := range a {
				uo[n+1][k] = betaOut*uo[n][k] + (1-betaOut)*io[n][k]
				io[n+1][k] = betaSyn*io[n][k] + a[k]
			}
		}
		loss, guo := neurontest.Loss(s, uo, labels[b], B)
		res.loss += loss
		// Backward through the readout: guo[n] is dLoss/dU_o[n], gio[n]
		// dLoss/dI_o[n].
		gio := make([][]float64, T+2)
		for n := range gio {
			gio[n] = make([]float64, K)
		}
		for n := T; n >= 1; n-- {
			for k := range guo[n] {
				guo[n][k] += betaOut * guo[n+1][k]
			}
		}
		gIn := make([][]float64, T) // dLoss/d(input of the readout)[n]
		for n := T - 1; n >= 0; n-- {
			// I_o[n+1] = β_syn·I_o[n] + S[n]·W: dI_o[n+1] gathers U_o[n+2] and I_o[n+2].
			for k := range gio[n+1] {
				gio[n+1][k] = betaSyn * gio[n+2][k]
				if n+2 <= T {
					gio[n+1][k] += (1 - betaOut) * guo[n+2][k]
				}
			}
			neurontest.Outer(gW[L], acts[L][n], gio[n+1])
			gIn[n] = neurontest.Back(gio[n+1], W[L], len(acts[L][n]))
		}
		// Backward through the hidden layers, last first.
		for l := L - 1; l >= 0; l-- {
			H := sz[l+1]
			alpha, rho, a, bb := prm[l].p[0], prm[l].p[1], prm[l].p[2], prm[l].p[3]
			gS := gIn
			gIn = make([][]float64, T)
			gu := make([]float64, H)    // dLoss/dU[n+1] while at step n
			carry := make([]float64, H) // dLoss/dw[n+1] through w[n+2]
			for n := T - 1; n >= 0; n-- {
				spk := acts[l+1][n]
				dS := append([]float64(nil), gS[n]...)
				dU := make([]float64, H)
				gIn[n] = make([]float64, sz[l])
				if n < T-1 {
					gw := make([]float64, H) // dLoss/dw[n+1]
					dx := make([]float64, H)
					wNext := make([]float64, H)
					for i := range gw {
						wNext[i] = rho[i]*A[l][n][i] + a[i]*U[l][n][i] + bb[i]*spk[i]
						gw[i] = carry[i] - (1-alpha[i])*gu[i]
						dx[i] = (1 - alpha[i]) * gu[i]
						dU[i] = alpha[i]*gu[i] + a[i]*gw[i]
						dS[i] += bb[i] * gw[i]
						if s.DifferentiableReset {
							dS[i] -= alpha[i] * gu[i]
						}
						if learnt {
							gTheta[4*l][i] += prm[l].dp[0][i] * gu[i] * ((U[l][n][i] - spk[i]) - (X[l][n][i] - wNext[i]))
							gTheta[4*l+1][i] += prm[l].dp[1][i] * gw[i] * A[l][n][i]
							gTheta[4*l+2][i] += prm[l].dp[2][i] * gw[i] * U[l][n][i]
							gTheta[4*l+3][i] += prm[l].dp[3][i] * gw[i] * spk[i]
						}
						carry[i] = rho[i] * gw[i]
					}
					neurontest.Outer(gW[l], acts[l][n], dx)
					if s.Recurrent {
						neurontest.Outer(gV[l], spk, dx)
					}
					gIn[n] = neurontest.Back(dx, W[l], sz[l])
					if s.RecurrentGrad {
						neurontest.AddTo(dS, neurontest.Back(dx, V[l], H))
					}
				}
				for i := range dU {
					dU[i] += dS[i] * h(U[l][n][i])
				}
				gu = dU
			}
		}
	}
	res.grads = append(append(gW, gV...), gTheta...)
	return res
}

package learntau_test

import (
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/neurontest"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/learntau"
)

// fixed is the model without learnt time constants: its layers get no
// per-neuron parameters and use the settings'.
type fixed struct{ learntau.Neuron }

func (fixed) Name() string                      { return "test-learntau-fixed" }
func (fixed) Params(bool) []network.NeuronParam { return nil }

func init() {
	network.Register(learntau.Neuron{})
	network.Register(learntau.Neuron{Gamma: true})
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
// backpropagation through time of the equations in the package doc, for
// heterogeneous (gamma-drawn), homogeneous and fixed time constants.
func TestGradientsMatchTheReference(t *testing.T) {
	cases := []struct {
		name      string
		neuron    string
		hidden    []int
		recurrent bool
		red       network.Reduction
		diff      bool // --diff-reset, and --recurrent-grad if recurrent
	}{
		{"readout only", learntau.GammaName, nil, false, network.MaxOverTime, false},
		{"one layer", learntau.GammaName, []int{8}, false, network.MaxOverTime, false},
		{"one layer, homogeneous start", learntau.Name, []int{8}, false, network.MaxOverTime, false},
		{"two layers, sum", learntau.GammaName, []int{8, 5}, false, network.SumOverTime, false},
		{"recurrent", learntau.GammaName, []int{7}, true, network.MaxOverTime, false},
		{"recurrent, gradient through reset and recurrence", learntau.GammaName, []int{7}, true, network.MaxOverTime, true},
		{"two layers, gradient through reset", learntau.Name, []int{8, 5}, false, network.MaxOverTime, true},
		{"fixed constants, recurrent", "test-learntau-fixed", []int{7}, true, network.MaxOverTime, true},
		{"fixed constants, two layers", "test-learntau-fixed", []int{7, 6}, false, network.SumOverTime, false},
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

type refResult struct {
	loss   float64
	grads  [][]float64 // in Weights.All order
	spikes []float64   // per hidden layer
}

// decays are a layer's β_mem and β_syn per neuron and dβ/dθ.
type decays struct{ mem, syn, dmem, dsyn []float64 }

func decaysOf(s network.Spec, w *models.Weights, l, units int, tauMem float64) decays {
	var d decays
	for i, tau := range []float64{tauMem, s.TauSyn} {
		b, db := make([]float64, units), make([]float64, units)
		for j := range b {
			th := 0.0
			if len(w.Neuron) > 0 {
				th = w.Neuron[2*l+i].Data().([]float64)[j]
			}
			tj := learntau.Tau(tau, th)
			b[j] = math.Exp(-s.DT / tj)
			th2 := math.Tanh(th / learntau.Spread)
			db[j] = b[j] * s.DT / tj * (1 - th2*th2)
		}
		if i == 0 {
			d.mem, d.dmem = b, db
		} else {
			d.syn, d.dsyn = b, db
		}
	}
	return d
}

// reference is the model in plain Go: forward pass, softmax cross-entropy
// averaged over the batch, and BPTT with the SuperSpike surrogate, the
// reset and the recurrence detached unless the spec says otherwise.
func reference(s network.Spec, w *models.Weights, x [][]float64, labels []int) refResult {
	T, L := s.Steps, len(s.Hidden)
	sz := s.Sizes()
	h := func(u float64) float64 { d := s.Surrogate.Beta*math.Abs(u-1) + 1; return 1 / (d * d) }
	learnt := len(w.Neuron) > 0
	dec := make([]decays, L+1)
	gTheta := make([][]float64, len(w.Neuron))
	for l := range dec {
		tau := s.TauMem
		if l == L {
			tau = s.TauReadout
		}
		dec[l] = decaysOf(s, w, l, sz[l+1], tau)
		if learnt {
			gTheta[2*l], gTheta[2*l+1] = make([]float64, sz[l+1]), make([]float64, sz[l+1])
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
		// U[l][n], I[l][n] for n = 0 … T−1.
		U := make([][][]float64, L)
		I := make([][][]float64, L)
		for l := 0; l < L; l++ {
			H := sz[l+1]
			d := dec[l]
			U[l], I[l] = make([][]float64, T), make([][]float64, T)
			acts[l+1] = make([][]float64, T)
			u, cur := make([]float64, H), make([]float64, H)
			for n := 0; n < T; n++ {
				U[l][n], I[l][n] = append([]float64(nil), u...), append([]float64(nil), cur...)
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
				for i := range u {
					u[i] = (d.mem[i]*u[i] + (1-d.mem[i])*cur[i]) * (1 - spk[i])
					cur[i] = d.syn[i]*cur[i] + xc[i]
				}
			}
		}
		// Readout: uo[n] is U_o[n], io[n] is I_o[n], n = 0 … T.
		K := s.Outputs
		d := dec[L]
		uo, io := make([][]float64, T+1), make([][]float64, T+1)
		uo[0], io[0] = make([]float64, K), make([]float64, K)
		for n := 0; n < T; n++ {
			a := neurontest.Project(acts[L][n], W[L], K)
			uo[n+1], io[n+1] = make([]float64, K), make([]float64, K)
			for k := range a {
				uo[n+1][k] = d.mem[k]*uo[n][k] + (1-d.mem[k])*io[n][k]
				io[n+1][k] = d.syn[k]*io[n][k] + a[k]
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
				guo[n][k] += d.mem[k] * guo[n+1][k]
				if learnt { // U_o[n] = β_out·U_o[n−1] + (1 − β_out)·I_o[n−1]
					gTheta[2*L][k] += d.dmem[k] * guo[n][k] * (uo[n-1][k] - io[n-1][k])
				}
			}
		}
		gIn := make([][]float64, T) // dLoss/d(input of the readout)[n]
		for n := T - 1; n >= 0; n-- {
			for k := range gio[n+1] {
				gio[n+1][k] = d.syn[k] * gio[n+2][k]
				if n+2 <= T {
					gio[n+1][k] += (1 - d.mem[k]) * guo[n+2][k]
				}
				if learnt { // I_o[n+1] = β_syn·I_o[n] + S[n]·W
					gTheta[2*L+1][k] += d.dsyn[k] * gio[n+1][k] * io[n][k]
				}
			}
			neurontest.Outer(gW[L], acts[L][n], gio[n+1])
			gIn[n] = neurontest.Back(gio[n+1], W[L], len(acts[L][n]))
		}
		// Backward through the hidden layers, last first.
		for l := L - 1; l >= 0; l-- {
			H := sz[l+1]
			d := dec[l]
			gS := gIn
			gIn = make([][]float64, T)
			gu := make([]float64, H) // dLoss/dU[n+1] while at step n
			gi := make([]float64, H) // dLoss/dI[n+1] while at step n
			for n := T - 1; n >= 0; n-- {
				spk := acts[l+1][n]
				dS := append([]float64(nil), gS[n]...)
				dU, dI := make([]float64, H), make([]float64, H)
				gIn[n] = make([]float64, sz[l])
				if n < T-1 {
					for i := range dU {
						free := d.mem[i]*U[l][n][i] + (1-d.mem[i])*I[l][n][i]
						dU[i] = d.mem[i] * (1 - spk[i]) * gu[i]
						dI[i] = (1-d.mem[i])*(1-spk[i])*gu[i] + d.syn[i]*gi[i]
						if s.DifferentiableReset {
							dS[i] -= free * gu[i]
						}
						if learnt {
							gTheta[2*l][i] += d.dmem[i] * (1 - spk[i]) * gu[i] * (U[l][n][i] - I[l][n][i])
							gTheta[2*l+1][i] += d.dsyn[i] * gi[i] * I[l][n][i]
						}
					}
					neurontest.Outer(gW[l], acts[l][n], gi)
					if s.Recurrent {
						neurontest.Outer(gV[l], spk, gi)
					}
					gIn[n] = neurontest.Back(gi, W[l], sz[l])
					if s.RecurrentGrad {
						neurontest.AddTo(dS, neurontest.Back(gi, V[l], H))
					}
				}
				for i := range dU {
					dU[i] += dS[i] * h(U[l][n][i])
				}
				gu, gi = dU, dI
			}
		}
	}
	res.grads = append(append(gW, gV...), gTheta...)
	return res
}

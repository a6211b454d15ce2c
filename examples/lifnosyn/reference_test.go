package lifnosyn_test

import (
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/internal/neurontest"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

func init() { network.Register(lifnosyn.Neuron{}) }

// spec is a small network of the model, active enough to spike.
func spec(hidden []int, recurrent bool, red network.Reduction) network.Spec {
	s := network.Default()
	s.Neuron = lifnosyn.Name
	s.Inputs, s.Outputs, s.Steps = 6, 3, 24
	s.Hidden, s.Recurrent, s.Readout = hidden, recurrent, red
	s.TauMem, s.TauReadout, s.Gain = 4, 6, 8
	return s
}

// The gradients of the model's graph, built by models.New as for
// training, are those of a plain-Go float64 forward pass and hand-written
// backpropagation through time of the equations in the package doc.
func TestGradientsMatchTheReference(t *testing.T) {
	cases := []struct {
		name      string
		hidden    []int
		recurrent bool
		red       network.Reduction
		diff      bool // --diff-reset, and --recurrent-grad if recurrent
	}{
		{"readout only", nil, false, network.MaxOverTime, false},
		{"one layer", []int{8}, false, network.MaxOverTime, false},
		{"two layers, sum", []int{8, 5}, false, network.SumOverTime, false},
		{"recurrent", []int{7}, true, network.MaxOverTime, false},
		{"recurrent, gradient through reset and recurrence", []int{7}, true, network.MaxOverTime, true},
		{"two layers, gradient through reset", []int{8, 5}, false, network.MaxOverTime, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := spec(c.hidden, c.recurrent, c.red)
			s.DifferentiableReset, s.RecurrentGrad = c.diff, c.diff && c.recurrent
			w, err := models.Init(s, 3, tensor.Float64)
			if err != nil {
				t.Fatal(err)
			}
			const B = 4
			x, labels := neurontest.Inputs(s, B, 5)
			got, loss := neurontest.GraphGrads(t, s, w, x, labels)
			ref := reference(s, w, x, labels)
			neurontest.CompareGradients(t, w.Names(), got, loss, ref.loss, ref.grads, ref.spikes)
		})
	}
}

type refResult struct {
	loss   float64
	grads  [][]float64 // in Weights.All order
	spikes []float64   // per hidden layer
}

// reference is the model in plain Go: forward pass, softmax
// cross-entropy averaged over the batch, and BPTT with the SuperSpike
// surrogate, the reset and the recurrence detached unless the spec says
// otherwise.
func reference(s network.Spec, w *models.Weights, x [][]float64, labels []int) refResult {
	T, L := s.Steps, len(s.Hidden)
	sz := s.Sizes()
	beta, betaOut := s.Decay(s.TauMem), s.Decay(s.TauReadout)
	h := func(u float64) float64 { d := s.Surrogate.Beta*math.Abs(u-1) + 1; return 1 / (d * d) }
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
		U := make([][][]float64, L)
		for l := 0; l < L; l++ {
			H := sz[l+1]
			U[l] = make([][]float64, T)
			acts[l+1] = make([][]float64, T)
			u := make([]float64, H)
			for n := 0; n < T; n++ {
				U[l][n] = append([]float64(nil), u...)
				spk := make([]float64, H)
				for i := range u {
					if u[i] >= 1 {
						spk[i] = 1
						res.spikes[l]++
					}
				}
				acts[l+1][n] = spk
				a := neurontest.Project(acts[l][n], W[l], H)
				if s.Recurrent {
					neurontest.AddTo(a, neurontest.Project(spk, V[l], H))
				}
				for i := range u {
					u[i] = (beta*u[i] + (1-beta)*a[i]) * (1 - spk[i])
				}
			}
		}
		// Readout: uo[n] is U_o[n], n = 0 … T.
		K := s.Outputs
		uo := make([][]float64, T+1)
		uo[0] = make([]float64, K)
		for n := 0; n < T; n++ {
			a := neurontest.Project(acts[L][n], W[L], K)
			uo[n+1] = make([]float64, K)
			for k := range a {
				uo[n+1][k] = betaOut*uo[n][k] + (1-betaOut)*a[k]
			}
		}
		loss, guo := neurontest.Loss(s, uo, labels[b], B)
		res.loss += loss
		// Backward through the readout: guo[n] is dLoss/dU_o[n].
		gIn := make([][]float64, T) // dLoss/d(input of the readout)[n]
		for n := T; n >= 1; n-- {
			for k := range guo[n] {
				guo[n][k] += betaOut * guo[n+1][k]
			}
			ga := scaled(1-betaOut, guo[n])
			neurontest.Outer(gW[L], acts[L][n-1], ga)
			gIn[n-1] = neurontest.Back(ga, W[L], len(acts[L][n-1]))
		}
		// Backward through the hidden layers, last first.
		for l := L - 1; l >= 0; l-- {
			H := sz[l+1]
			gS := gIn
			gIn = make([][]float64, T)
			gu := make([]float64, H) // dLoss/dU[n+1] while at step n
			for n := T - 1; n >= 0; n-- {
				spk := acts[l+1][n]
				if n < T-1 {
					ga := make([]float64, H)
					for i := range ga {
						ga[i] = (1 - beta) * (1 - spk[i]) * gu[i]
					}
					neurontest.Outer(gW[l], acts[l][n], ga)
					if s.Recurrent {
						neurontest.Outer(gV[l], spk, ga)
					}
					gIn[n] = neurontest.Back(ga, W[l], sz[l])
					// U[n+1] = free[n]·(1 − S[n]), free[n] = β·U[n] + (1 − β)·a[n].
					if s.DifferentiableReset {
						a := neurontest.Project(acts[l][n], W[l], H)
						if s.Recurrent {
							neurontest.AddTo(a, neurontest.Project(spk, V[l], H))
						}
						for i := range a {
							gS[n][i] -= (beta*U[l][n][i] + (1-beta)*a[i]) * gu[i]
						}
					}
					if s.RecurrentGrad {
						neurontest.AddTo(gS[n], neurontest.Back(ga, V[l], H))
					}
				} else {
					gIn[n] = make([]float64, sz[l])
				}
				next := make([]float64, H) // dLoss/dU[n]
				for i := range next {
					next[i] = gS[n][i] * h(U[l][n][i])
					if n < T-1 {
						next[i] += beta * (1 - spk[i]) * gu[i]
					}
				}
				gu = next
			}
		}
	}
	res.grads = append(gW, gV...)
	return res
}

func scaled(c float64, x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = c * v
	}
	return out
}

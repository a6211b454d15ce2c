package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// FluctuationInit rescales freshly drawn weights, layer by layer, so that
// every hidden neuron's free membrane potential (no spikes, no reset)
// fluctuates with standard deviation 1/xi around zero on the given data: a
// neuron then crosses the threshold θ = 1 at xi standard deviations. It
// follows the idea of fluctuation-driven initialisation (Rossbroich, Gygax
// & Zenke 2022) with the input statistics measured rather than assumed:
// for zero-mean weights of variance σ_W² and fan-in n,
//
//	Var U = n·σ_W²·P,   P = mean over units, samples and steps of (ε∗x)²
//
// where ε is the PSP kernel and x an input train. The inputs of layer l+1
// are the spikes of layer l, so each layer is measured after the one below
// it is set. Recurrent weights take a share rec of the variance. The readout
// keeps the uniform initialisation. samples inputs of split are used.
func FluctuationInit(spec network.Spec, w *models.Weights, split *datasets.Split, xi, rec float64, samples int, seed uint64) error {
	return fluctuationInit(spec, w, split, xi, rec, samples, seed, nil)
}

// fluctuationInit is FluctuationInit, telling progress (if not nil) of
// every layer it has set.
func fluctuationInit(spec network.Spec, w *models.Weights, split *datasets.Split, xi, rec float64, samples int, seed uint64,
	progress func(layer, layers int, took time.Duration)) error {
	began := time.Now()
	if !(xi > 0) || !(rec >= 0 && rec < 1) || samples < 1 {
		return fmt.Errorf("train: fluctuation init wants xi > 0, 0 ≤ recurrent share < 1 and samples ≥ 1, got %g, %g, %d", xi, rec, samples)
	}
	idx := rand.New(rand.NewPCG(seed, 0xf1c7)).Perm(split.Len())[:min(samples, split.Len())]
	data := split.Subset(split.Name, idx)
	// Measuring needs the forward pass only.
	ev, err := NewEvaluator(spec, min(len(idx), 64), w)
	if err != nil {
		return err
	}
	defer ev.Close()
	neuron, err := network.LookupNeuron(spec.Neuron)
	if err != nil {
		return fmt.Errorf("train: fluctuation init: %w", err)
	}
	kernel := neuron.Kernel(spec)
	target := 1 / xi
	in := data
	for l := range spec.Hidden {
		share := 1.0
		if spec.Recurrent {
			share = 1 - rec
			zero(w.V[l]) // measure the layer's own spikes without recurrence first
		}
		p := filteredPower(in, kernel)
		if p == 0 {
			return fmt.Errorf("train: fluctuation init: the input of hidden layer %d is silent on the data", l+1)
		}
		rescale(w.W[l], target*math.Sqrt(share/(float64(spec.Sizes()[l])*p)))
		out, err := ev.layerSpikes(data, l)
		if err != nil {
			return err
		}
		if spec.Recurrent {
			if q := filteredPower(out, kernel); q > 0 {
				redraw(w.V[l], seed+uint64(l), target*math.Sqrt(rec/(float64(spec.Hidden[l])*q)))
			}
			if out, err = ev.layerSpikes(data, l); err != nil {
				return err
			}
		}
		in = out
		if progress != nil {
			progress(l+1, len(spec.Hidden), time.Since(began))
		}
	}
	return nil
}

// filteredPower is P = ⟨(ε∗x)²⟩ over the split's units, samples and steps.
func filteredPower(s *datasets.Split, kernel []float64) float64 {
	f := make([]float64, s.Steps)
	sum := 0.0
	byUnit := map[int32][]datasets.Event{}
	var all []datasets.Event
	for i := range s.Samples {
		clear(byUnit)
		all = s.AppendEvents(all[:0], i)
		for _, e := range all {
			byUnit[e.Unit] = append(byUnit[e.Unit], e)
		}
		for _, evs := range byUnit {
			clear(f)
			for _, e := range evs {
				for k, v := range kernel[:s.Steps-int(e.Step)] {
					f[int(e.Step)+k] += float64(e.Value) * v
				}
			}
			for _, v := range f {
				sum += v * v
			}
		}
	}
	return sum / float64(s.Len()*s.Units*s.Steps)
}

// layerSpikes runs the network on data and returns hidden layer l's spike
// trains as a split whose events are spikes.
func (e *Evaluator) layerSpikes(data *datasets.Split, l int) (*datasets.Split, error) {
	H := e.Model.Spec.Hidden[l]
	out := &datasets.Split{Name: data.Name, Steps: data.Steps, Units: H, Classes: data.Classes,
		Samples: make([]datasets.Sample, data.Len())}
	for start := 0; start < data.Len(); start += e.Model.Batch {
		idx := make([]int, 0, e.Model.Batch)
		for i := start; i < min(start+e.Model.Batch, data.Len()); i++ {
			idx = append(idx, i)
		}
		snaps, err := e.Snapshots(data, idx)
		if err != nil {
			return nil, err
		}
		for _, sn := range snaps {
			smp := &out.Samples[sn.Index]
			smp.Label = sn.Label
			for n, row := range sn.Spikes[l] {
				for i, v := range row {
					if v != 0 {
						smp.Events = append(smp.Events, datasets.Event{Step: int32(n), Unit: int32(i), Value: float32(v)})
					}
				}
			}
		}
	}
	return out, nil
}

// rescale multiplies m so that its elements' standard deviation becomes
// sigma (their mean is left as drawn, about zero).
func rescale(m *tensor.Dense, sigma float64) {
	vals := floats(m, nil)
	ss := 0.0
	for _, v := range vals {
		ss += v * v
	}
	if ss == 0 {
		return
	}
	scaleBy(m, sigma/math.Sqrt(ss/float64(len(vals))))
}

// redraw fills m from U(−√3σ, √3σ), whose standard deviation is σ.
func redraw(m *tensor.Dense, seed uint64, sigma float64) {
	rng := rand.New(rand.NewPCG(seed, 0x7ec))
	b := math.Sqrt(3) * sigma
	switch d := m.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = b * (2*rng.Float64() - 1)
		}
	case []float32:
		for i := range d {
			d[i] = float32(b * (2*rng.Float64() - 1))
		}
	}
}

func scaleBy(m *tensor.Dense, c float64) {
	switch d := m.Data().(type) {
	case []float64:
		for i := range d {
			d[i] *= c
		}
	case []float32:
		for i := range d {
			d[i] *= float32(c)
		}
	}
}

package study

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Distribution is one per-neuron parameter of one layer of a cell's
// model, its initial and its learnt values pooled over the cell's runs.
type Distribution struct {
	Param network.Param
	// Label says what the values are: the model's reading
	// (network.Readable), or the parameter's raw name.
	Label           string
	Initial, Learnt []float64
}

// Distributions returns the per-neuron parameters of c's runs, learnt
// (the records' neuron_params, of the best weights) and initial (drawn
// again from each run's seed), in the order of network.Spec.Params; none
// for a model without per-neuron parameters. A run whose record lacks
// them is an error naming its record.
func Distributions(c Cell) ([]Distribution, error) {
	var out []Distribution
	for _, r := range c.Runs {
		s := r.Record.Settings
		spec, err := s.Spec(r.Record.Data.Inputs, r.Record.Data.Classes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Path, err)
		}
		if n := weights(spec); n > maxWeights {
			return nil, fmt.Errorf("%s: a network of %d weights; the initial draw is made again only for at most %d", r.Path, n, maxWeights)
		}
		dt := tensor.Float32
		if s.DType == "float64" {
			dt = tensor.Float64
		}
		w, err := models.Init(spec, s.Seed, dt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Path, err)
		}
		initial := w.PerNeuron()
		neuron, err := network.LookupNeuron(spec.Neuron)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Path, err)
		}
		k := 0
		for _, p := range spec.Params() {
			if !p.PerNeuron {
				continue
			}
			learnt, ok := r.Record.NeuronParams[p.Name]
			if !ok || len(learnt) != p.Cols {
				return nil, fmt.Errorf("%s: neuron_params holds no %d values of %s (a record from before they were kept?)", r.Path, p.Cols, p.Name)
			}
			label, first, last := p.Name, initial[p.Name], learnt
			if rd, ok := neuron.(network.Readable); ok {
				label, first = rd.Reading(spec, p, first)
				_, last = rd.Reading(spec, p, last)
			}
			if k == len(out) {
				out = append(out, Distribution{Param: p, Label: label})
			}
			out[k].Initial = append(out[k].Initial, first...)
			out[k].Learnt = append(out[k].Learnt, last...)
			k++
		}
	}
	return out, nil
}

// maxWeights bounds the networks whose initial parameters are drawn again:
// the draw takes every weight's place in the seeded stream, so a record
// that claims an absurd network must not make it allocate one. 2^27
// weights (512 MiB of float32) is a thousand SHD networks.
const maxWeights = 1 << 27

// weights counts the weights of s, or more than maxWeights where the
// count would overflow.
func weights(s network.Spec) int {
	n := 0
	for _, p := range s.Params() {
		if p.Rows > maxWeights || p.Cols > maxWeights || p.Rows*p.Cols > maxWeights-n {
			return maxWeights + 1
		}
		n += p.Rows * p.Cols
	}
	return n
}

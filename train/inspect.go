package train

import (
	"fmt"

	"github.com/spikegrad/spikegrad/datasets"
)

// Output is what the network produced for one sample.
type Output struct {
	Index  int         // sample index in the split
	Logits []float64   // [classes]
	Counts [][]float64 // per hidden layer, spike count of every neuron
}

// Each runs every sample of split through the evaluation program and calls
// fn with its output. The slices are reused: copy what you keep.
func (s *Session) Each(split *datasets.Split, fn func(o Output)) error {
	C := s.Model.Spec.Outputs
	o := Output{Counts: make([][]float64, len(s.Model.Counts))}
	counts := make([][]float64, len(s.Model.Counts))
	idx := make([]int, 0, s.Model.Batch)
	for start := 0; start < split.Len(); start += s.Model.Batch {
		idx = idx[:0]
		for i := start; i < min(start+s.Model.Batch, split.Len()); i++ {
			idx = append(idx, i)
		}
		if err := s.feed.fill(split, idx); err != nil {
			return err
		}
		if err := s.evalM.RunAll(); err != nil {
			s.evalM.Reset()
			return fmt.Errorf("train: evaluate %s: %w", split.Name, err)
		}
		s.logits = floats(s.Model.Net.Out.Logits.Value(), s.logits)
		for l, c := range s.Model.Counts {
			if c != nil {
				counts[l] = floats(c.Value(), counts[l])
			}
		}
		s.evalM.Reset()
		for row, i := range idx {
			o.Index, o.Logits = i, s.logits[row*C:(row+1)*C]
			for l, c := range s.Model.Counts {
				o.Counts[l] = nil
				if c != nil {
					H := s.Model.Spec.Hidden[l]
					o.Counts[l] = counts[l][row*H : (row+1)*H]
				}
			}
			fn(o)
		}
	}
	return nil
}

// SpikeStats describe the activity of one hidden layer over a split.
type SpikeStats struct {
	Neurons int `json:"neurons"`
	// PerInput is the mean number of spikes of the whole layer per sample.
	PerInput float64 `json:"spikes_per_input"`
	// NeuronMeans is each neuron's mean spike count per sample.
	NeuronMeans []float64 `json:"neuron_mean_counts"`
	// Silent is the fraction of neurons that never spiked on the split.
	Silent float64 `json:"silent_fraction"`
	// MaxRate is the highest mean firing rate of any neuron, in Hz.
	MaxRate float64 `json:"max_rate_hz"`
	// MaxCount is the most spikes any neuron emitted for one sample.
	MaxCount float64 `json:"max_count"`
}

// Measure runs every sample of split once through the evaluation program
// and returns the metrics and the activity of every hidden layer; fn, if
// set, also sees each sample's output (its slices are reused).
func (s *Session) Measure(split *datasets.Split, fn func(Output)) (Metrics, []SpikeStats, error) {
	spec := s.Model.Spec
	var m Metrics
	stats := make([]SpikeStats, len(spec.Hidden))
	for l, h := range spec.Hidden {
		stats[l] = SpikeStats{Neurons: h, NeuronMeans: make([]float64, h)}
	}
	err := s.Each(split, func(o Output) {
		m.add(o.Logits, split.Samples[o.Index].Label, o.Counts)
		for l, c := range o.Counts {
			for i, v := range c {
				stats[l].NeuronMeans[i] += v
				stats[l].MaxCount = max(stats[l].MaxCount, v)
			}
		}
		if fn != nil {
			fn(o)
		}
	})
	if err != nil || split.Len() == 0 {
		return m.done(), stats, err
	}
	window := float64(spec.Steps) * spec.DT / 1000 // seconds
	for l := range stats {
		stats[l].finish(split.Len(), window)
	}
	return m.done(), stats, nil
}

// finish turns per-neuron sums over n samples into means and summaries.
func (st *SpikeStats) finish(n int, window float64) {
	silent := 0
	for i, sum := range st.NeuronMeans {
		if sum == 0 {
			silent++
		}
		st.NeuronMeans[i] = sum / float64(n)
		st.PerInput += st.NeuronMeans[i]
		st.MaxRate = max(st.MaxRate, st.NeuronMeans[i]/window)
	}
	st.Silent = float64(silent) / float64(st.Neurons)
}

// Activity measures the spike statistics of every hidden layer on split.
func (s *Session) Activity(split *datasets.Split) ([]SpikeStats, error) {
	_, stats, err := s.Measure(split, nil)
	return stats, err
}
